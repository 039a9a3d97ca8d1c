//! Realistic synthetic data for demonstrations, screenshots and benchmarks: cases with several
//! acts, timelines and tasks, trainings, round tables and outreach meetings, across Kosovo's
//! municipalities, with Albanian and Serbian names. The same seed gives the same data.
//! Every generated record passes the same validation as a record typed by an officer.
use crate::error::Result;
use crate::setup::Desk;
use crate::sync::capture;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use rand::{RngExt, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha12Rng;
use rightsdesk_domain::activity::{Activity, ActivityDraft, ActivityKind, AttendanceRow, Counts};
use rightsdesk_domain::case::{Act, Case, CaseDraft, Person, Risk};
use rightsdesk_domain::case_number::{CaseNumber, device_code};
use rightsdesk_domain::ids::{ActivityId, DeviceId, IdGen};
use rightsdesk_domain::referral::{Referral, ReferralDraft, ReferralMark, ReferralStatus, ReferralUpdate};
use rightsdesk_domain::task::Task;
use rightsdesk_domain::timeline::{Entry, EntryKind};
use rightsdesk_domain::vocab;
use rightsdesk_domain::workflow::{CloseReason, Status};
use rightsdesk_store::{activities, cases, referrals, search, tasks, timeline};
use rightsdesk_sync::Kind;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DemoSummary {
    pub cases: usize,
    pub activities: usize,
    pub timeline_entries: usize,
    pub tasks: usize,
    pub referrals: usize,
}

const FIRST_SQ_F: &[&str] = &[
    "Drita", "Arta", "Fitore", "Vjosa", "Blerta", "Mimoza", "Shqipe", "Lirije", "Teuta", "Hana", "Elira",
    "Ardita",
];
const FIRST_SQ_M: &[&str] = &[
    "Arben", "Besnik", "Driton", "Fatmir", "Gëzim", "Ilir", "Valon", "Agon", "Lulzim", "Shpend", "Blerim",
    "Kushtrim",
];
const LAST_SQ: &[&str] = &[
    "Krasniqi",
    "Gashi",
    "Berisha",
    "Morina",
    "Hoxha",
    "Shala",
    "Bytyqi",
    "Kelmendi",
    "Rexhepi",
    "Thaçi",
    "Hajdari",
    "Zeqiri",
    "Mehmeti",
    "Sylejmani",
];
const FIRST_SR_F: &[&str] =
    &["Jelena", "Milica", "Dragana", "Snežana", "Ivana", "Jovana", "Vesna", "Danijela"];
const FIRST_SR_M: &[&str] = &["Miloš", "Nenad", "Dragan", "Stefan", "Nikola", "Đorđe", "Zoran", "Dejan"];
const LAST_SR: &[&str] = &[
    "Jovanović",
    "Petrović",
    "Nikolić",
    "Đorđević",
    "Stojanović",
    "Ilić",
    "Marković",
    "Đukić",
    "Milić",
    "Savić",
];
const FIRST_RAE: &[&str] =
    &["Sabrije", "Mentor", "Elmaze", "Bajram", "Fatime", "Sebastijan", "Gjylije", "Avdi"];
const LAST_RAE: &[&str] =
    &["Berisha", "Gashi", "Bajrami", "Krasniqi", "Mustafa", "Salihu", "Ademi", "Osmani"];
const OFFICERS: &[&str] = &["Arben Gashi", "Vjosa Morina", "Nenad Ilić", "Teuta Hoxha", "Milica Savić"];

const NARRATIVES_SQ: &[&str] = &[
    "Personi raporton se iu refuzua regjistrimi i fëmijës në shkollë me arsyetimin se mungojnë dokumentet e vendbanimit, ndërsa fëmijët e tjerë në të njëjtën situatë u regjistruan.",
    "Parashtruesja thotë se në intervistën për punë u pyet për shtatzëninë dhe planet familjare, dhe pas përgjigjes iu tha se vendi ishte plotësuar.",
    "Banorët e lagjes ankohen se kamioni i mbeturinave nuk kalon në rrugën e tyre prej muajsh, ndërsa në lagjet fqinje shërbimi kryhet rregullisht.",
    "Personi me aftësi të kufizuara nuk mund të hyjë në zyrën e gjendjes civile sepse nuk ka rampë dhe stafi refuzoi ta shërbejë në hyrje.",
    "Parashtruesi raporton fjalë fyese për përkatësinë e tij etnike nga një zyrtar në sportelin e ndihmës sociale.",
    "Kërkesa për ndihmë sociale u refuzua pa vendim me shkrim, me arsyetimin gojor se familja 'nuk është nga këtu'.",
];
const NARRATIVES_SR: &[&str] = &[
    "Podnositeljka navodi da joj je u domu zdravlja odbijen pregled jer nije imala zdravstvenu knjižicu na albanskom jeziku.",
    "Podnosilac tvrdi da mu je u opštinskoj kancelariji rečeno da dokumenta na srpskom jeziku neće biti primljena.",
    "Stranka navodi da je posle prijave diskriminacije na radnom mestu premeštena na niže plaćeno radno mesto.",
    "Roditelji navode da je njihovo dete u školi smešteno u odvojeno odeljenje zajedno sa ostalom romskom decom.",
    "Podnosilac navodi da mu stanodavac nije hteo izdati stan nakon što je čuo njegovo prezime.",
];
const NARRATIVES_EN: &[&str] = &[
    "The complainant reports being refused entry to a café together with two friends from the Roma community, while other guests were admitted.",
    "A job advertisement of a public enterprise required applicants to be 'under 35' for an administrative post.",
    "The person says the municipal housing commission ignored her application for social housing for two years without a decision.",
];
const PLACES: &[&str] = &[
    "Qendra për Punë Sociale",
    "Shkolla fillore 'Naim Frashëri'",
    "Dom zdravlja",
    "Zyra e gjendjes civile",
    "Opštinska uprava",
    "Ndërmarrja publike e ujësjellësit",
    "Lagjja 'Kolonia'",
    "Naselje Crkvena Vodica",
];
const RESPONDENTS: &[(&str, &str)] = &[
    ("municipal_institution", "Drejtoria Komunale e Arsimit"),
    ("municipal_institution", "Qendra për Punë Sociale"),
    ("central_institution", "Agjencia e Regjistrimit Civil"),
    ("public_enterprise", "KRU Prishtina"),
    ("public_enterprise", "Ekoregjioni"),
    ("private_company", "Market 'Viva'"),
    ("private_company", "Kafe 'Korzo'"),
    ("natural_person", "Stanodavac"),
    ("municipal_institution", "Dom zdravlja"),
];
const NOTES: &[&str] = &[
    "Informova personin për të drejtat sipas Ligjit për Mbrojtjen nga Diskriminimi.",
    "Razgovarano sa direktorom škole; obećao pismeni odgovor u roku od 15 dana.",
    "Called the person back: no answer yet from the institution.",
    "Personi solli kopjen e vendimit të refuzimit.",
    "Kontaktirana kancelarija Ombudsmana radi konsultacije.",
];
const TASKS: &[&str] = &[
    "Thirr personin përsëri",
    "Provjeriti odgovor institucije",
    "Check whether the school replied",
    "Dërgo letrën përcjellëse",
    "Posetiti porodicu",
];
const SETTLEMENTS: &[&str] = &[
    "Lagjja e Romëve",
    "Naselje Plemetina",
    "Fshati Llugaxhi",
    "Lagjja 'Ashkali'",
    "Mahalla e Egjiptianëve",
    "Naselje Preoce",
    "Qendra rinore",
];
const TRAINING_TITLES: &[&str] = &[
    "Standardet ndërkombëtare të të drejtave të njeriut dhe korniza ligjore vendore për mbrojtjen nga diskriminimi",
    "Zakon o zaštiti od diskriminacije: prepoznavanje i prijavljivanje",
    "Handling discrimination complaints in municipal services",
    "Gjuha dhe të drejtat e komuniteteve në administratën komunale",
];

fn pick<'a, T>(rng: &mut ChaCha12Rng, xs: &'a [T]) -> &'a T {
    xs.choose(rng).unwrap_or(&xs[0])
}

fn codes(desk: &Desk, name: &str) -> Vec<String> {
    desk.vocab.get(name).map(|v| v.entries.iter().map(|e| e.code.clone()).collect()).unwrap_or_default()
}

struct Gen {
    rng: ChaCha12Rng,
    ids: IdGen,
    grounds: Vec<String>,
    areas: Vec<String>,
    forms: Vec<String>,
    municipalities: Vec<String>,
    action_types: Vec<String>,
    target_groups: Vec<String>,
    formats: Vec<String>,
}

impl Gen {
    fn date_within(&mut self, today: NaiveDate, days: i64) -> NaiveDate {
        today - Duration::days(self.rng.random_range(0..days.max(1)))
    }

    fn person(&mut self) -> Person {
        let roll: u32 = self.rng.random_range(0..100);
        let (community, lang, first_f, first_m, last) = match roll {
            0..45 => ("albanian", "albanian", FIRST_SQ_F, FIRST_SQ_M, LAST_SQ),
            45..65 => ("serbian", "serbian", FIRST_SR_F, FIRST_SR_M, LAST_SR),
            65..75 => ("roma", "romani", FIRST_RAE, FIRST_RAE, LAST_RAE),
            75..85 => ("ashkali", "albanian", FIRST_RAE, FIRST_RAE, LAST_RAE),
            85..90 => ("egyptian", "albanian", FIRST_RAE, FIRST_RAE, LAST_RAE),
            90..93 => ("bosniak", "bosnian", FIRST_SQ_F, FIRST_SQ_M, LAST_SQ),
            93..96 => ("turkish", "turkish", FIRST_SQ_F, FIRST_SQ_M, LAST_SQ),
            96..98 => ("gorani", "bosnian", FIRST_SR_F, FIRST_SR_M, LAST_SR),
            _ => ("not_stated", "not_stated", FIRST_SQ_F, FIRST_SQ_M, LAST_SQ),
        };
        let female = self.rng.random_bool(0.55);
        let consent = self.rng.random_bool(0.93);
        let name = format!(
            "{} {}",
            pick(&mut self.rng, if female { first_f } else { first_m }),
            pick(&mut self.rng, last)
        );
        let phone = format!(
            "04{} {:03} {:03}",
            self.rng.random_range(3..10),
            self.rng.random_range(0..1000),
            self.rng.random_range(0..1000)
        );
        let ages = [
            "age_14_17",
            "age_18_24",
            "age_25_34",
            "age_35_49",
            "age_35_49",
            "age_50_64",
            "age_65_plus",
            "not_stated",
        ];
        Person {
            name: consent.then_some(name),
            contact: (consent && self.rng.random_bool(0.7)).then_some(phone),
            gender: if female {
                "female"
            } else if self.rng.random_bool(0.98) {
                "male"
            } else {
                "other"
            }
            .into(),
            age_band: pick(&mut self.rng, &ages).to_string(),
            community: community.into(),
            language: lang.into(),
            consent_processing: consent,
            consent_referral: consent && self.rng.random_bool(0.85),
            consent_statistics: self.rng.random_bool(0.95),
        }
    }

    fn act(&mut self, intake: NaiveDate) -> Act {
        let n_grounds = 1 + usize::from(self.rng.random_bool(0.4)) + usize::from(self.rng.random_bool(0.1));
        let common = [
            "ethnicity",
            "nationality_or_community",
            "language",
            "disability",
            "sex",
            "gender",
            "health_status",
            "social_or_personal_status",
            "age",
            "religion",
            "sexual_orientation",
        ];
        let mut grounds: Vec<String> = Vec::new();
        while grounds.len() < n_grounds {
            let g = if self.rng.random_bool(0.85) {
                pick(&mut self.rng, &common).to_string()
            } else {
                pick(&mut self.rng, &self.grounds).clone()
            };
            if !grounds.contains(&g) {
                grounds.push(g);
            }
        }
        let ground_other =
            grounds.iter().any(|g| g == vocab::OTHER).then(|| "Vendbanimi / mesto prebivališta".to_string());
        let narrative = match self.rng.random_range(0..10) {
            0..5 => pick(&mut self.rng, NARRATIVES_SQ),
            5..8 => pick(&mut self.rng, NARRATIVES_SR),
            _ => pick(&mut self.rng, NARRATIVES_EN),
        }
        .to_string();
        let (rtype, rname) = *pick(&mut self.rng, RESPONDENTS);
        let from = intake - Duration::days(self.rng.random_range(0..120));
        let period = self.rng.random_bool(0.2);
        let date_from = self.rng.random_bool(0.9).then_some(from);
        // Some acts lasted a month (cut at the intake date).
        let date_to = date_from
            .filter(|_| period)
            .map(|from| (from + Duration::days(30)).min(intake))
            .filter(|to| date_from.is_some_and(|from| *to > from));
        Act {
            id: None,
            date_from,
            date_to,
            place: pick(&mut self.rng, PLACES).to_string(),
            narrative,
            grounds,
            ground_other,
            area: pick(&mut self.rng, &self.areas).clone(),
            form: if self.rng.random_bool(0.6) {
                "direct".into()
            } else {
                pick(&mut self.rng, &self.forms).clone()
            },
            respondent_type: rtype.into(),
            respondent_name: rname.into(),
        }
    }
}

/// The path a case took through the workflow, ending in its current status.
fn history(rng: &mut ChaCha12Rng) -> Vec<Status> {
    use Status::*;
    let paths: &[&[Status]] = &[
        &[],
        &[Assessment],
        &[Assessment, Referred],
        &[Assessment, Referred, FollowUp],
        &[Assessment, Referred, FollowUp, Closed],
        &[Assessment, Closed],
        &[Referred, FollowUp, Closed],
        &[Assessment, Referred, FollowUp, Closed, Reopened],
    ];
    pick(rng, paths).to_vec()
}

impl Desk {
    /// Adds `n_cases` generated cases (and about one activity per 25 cases) to this database.
    pub fn generate_demo(&mut self, n_cases: usize, seed: u64) -> Result<DemoSummary> {
        let today = self.clock.today();
        let mut g = Gen {
            // A portable stream, like `IdGen::seeded` (rand's `StdRng` may change with any rand upgrade).
            // How rand turns it into ranges and choices changes only with a new rand minor version.
            rng: ChaCha12Rng::seed_from_u64(seed),
            ids: IdGen::seeded(seed ^ 0x5eed),
            grounds: codes(self, vocab::GROUNDS),
            areas: codes(self, vocab::AREAS),
            forms: codes(self, vocab::FORMS),
            municipalities: codes(self, vocab::MUNICIPALITIES),
            action_types: codes(self, vocab::ACTION_TYPES),
            target_groups: codes(self, vocab::TARGET_GROUPS),
            formats: codes(self, vocab::MEETING_FORMATS),
        };
        let mut summary = DemoSummary::default();
        let own = self.profile.municipality.clone();

        // Activities first, so cases can be linked to the outreach meetings they came from.
        let n_activities = (n_cases / 25).max(3);
        let mut meetings: Vec<(ActivityId, NaiveDate, String)> = Vec::new();
        let tx = self.store.transaction()?;
        for i in 0..n_activities {
            let kind = match i % 10 {
                0..=5 => ActivityKind::Outreach,
                6..=8 => ActivityKind::Training,
                _ => ActivityKind::RoundTable,
            };
            let municipality = if g.rng.random_bool(0.5) {
                own.clone()
            } else {
                pick(&mut g.rng, &g.municipalities).clone()
            };
            let date_from = g.date_within(today, 3 * 365);
            let mut attendance = Vec::new();
            let communities =
                ["albanian", "serbian", "roma", "ashkali", "egyptian", "bosniak", "turkish", "gorani"];
            for _ in 0..g.rng.random_range(1..4) {
                let community = pick(&mut g.rng, &communities).to_string();
                if attendance.iter().any(|r: &AttendanceRow| r.community == community) {
                    continue;
                }
                attendance.push(AttendanceRow {
                    community,
                    counts: Counts {
                        female: g.rng.random_range(0..25),
                        male: g.rng.random_range(0..25),
                        other: 0,
                        not_stated: g.rng.random_range(0..3),
                    },
                });
            }
            let outreach = kind == ActivityKind::Outreach;
            let draft = ActivityDraft {
                kind,
                title: if outreach { String::new() } else { pick(&mut g.rng, TRAINING_TITLES).to_string() },
                date_from,
                date_to: (!outreach && g.rng.random_bool(0.3))
                    .then(|| (date_from + Duration::days(1)).min(today))
                    .filter(|d| *d > date_from),
                venue: if outreach {
                    pick(&mut g.rng, SETTLEMENTS).to_string()
                } else {
                    "Salla e Kuvendit Komunal".into()
                },
                municipality,
                organiser: "MHRU / NJDNJ".into(),
                trainers: if outreach {
                    String::new()
                } else {
                    "Institucioni i Avokatit të Popullit".into()
                },
                topics: "Ligji për Mbrojtjen nga Diskriminimi; si të raportohet diskriminimi".into(),
                target_groups: if outreach {
                    vec![]
                } else {
                    vec![pick(&mut g.rng, &g.target_groups).clone()]
                },
                format: outreach.then(|| pick(&mut g.rng, &g.formats).clone()),
                issues_raised: if outreach {
                    "Dokumentet personale, qasja në ndihmë sociale, regjistrimi në shkollë.".into()
                } else {
                    String::new()
                },
                notes: String::new(),
                attendance,
            };
            draft.validate(self.vocab, today)?;
            let at = noon(date_from);
            let a = Activity {
                id: g.ids.next(at),
                draft,
                created_at: at,
                updated_at: at,
                device_id: self.profile.device_id,
            };
            activities::upsert(&tx, &a)?;
            capture(&tx, a.device_id.as_uuid(), self.clock.now(), &[(Kind::Activity, a.id.as_uuid())])?;
            if outreach {
                meetings.push((a.id, a.draft.date_from, a.draft.municipality.clone()));
            }
            summary.activities += 1;
        }
        rightsdesk_store::commit(tx)?;

        // One synthetic device per municipality, as if their bundles had been merged here.
        let mut devices: HashMap<String, (DeviceId, String)> = HashMap::new();
        let mut seqs: HashMap<(String, i32), u32> = HashMap::new();
        let mut done = 0;
        while done < n_cases {
            let batch = (n_cases - done).min(2000);
            let tx = self.store.transaction()?;
            for _ in 0..batch {
                let municipality = if g.rng.random_bool(0.4) {
                    own.clone()
                } else {
                    pick(&mut g.rng, &g.municipalities).clone()
                };
                let (device_id, code) = if municipality == own {
                    (self.profile.device_id, self.profile.device_code.clone())
                } else {
                    devices
                        .entry(municipality.clone())
                        .or_insert_with(|| {
                            (
                                g.ids.next(noon(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default())),
                                device_code(g.ids.bytes()),
                            )
                        })
                        .clone()
                };
                let intake = g.date_within(today, 3 * 365);
                let year = intake.year();
                let seq = match seqs.get_mut(&(code.clone(), year)) {
                    Some(s) => s,
                    None => {
                        let last = cases::last_number_seq(&tx, &code, year)?;
                        seqs.entry((code.clone(), year)).or_insert(last)
                    }
                };
                *seq += 1;
                let prefix = self.vocab.municipality_prefix(&municipality).unwrap_or("XXX").to_string();
                let number = CaseNumber { prefix, year, device: code.clone(), seq: *seq }.to_string();
                let n_acts = 1 + usize::from(g.rng.random_bool(0.3)) + usize::from(g.rng.random_bool(0.08));
                let at = noon(intake) + Duration::minutes(g.rng.random_range(-180..240));
                let mut acts: Vec<Act> = (0..n_acts).map(|_| g.act(intake)).collect();
                for act in &mut acts {
                    act.id = Some(g.ids.next(at));
                }
                let meeting = meetings
                    .iter()
                    .rfind(|(_, d, m)| *m == municipality && *d <= intake)
                    .filter(|_| g.rng.random_bool(0.15))
                    .cloned();
                let channel = if meeting.is_some() {
                    "outreach_meeting".to_string()
                } else {
                    pick(
                        &mut g.rng,
                        &["walk_in", "walk_in", "walk_in", "phone", "phone", "referred_in", "other"],
                    )
                    .to_string()
                };
                let draft = CaseDraft {
                    intake_date: intake,
                    channel,
                    source_activity: meeting.map(|m| m.0),
                    person: g.person(),
                    acts,
                    risk: *pick(&mut g.rng, &[Risk::Low, Risk::Low, Risk::Medium, Risk::Medium, Risk::High]),
                    assigned_officer: pick(&mut g.rng, OFFICERS).to_string(),
                };
                draft.validate(self.vocab, today)?;
                let path = history(&mut g.rng);
                let status = path.last().copied().unwrap_or(Status::New);
                let close_reason =
                    (status == Status::Closed).then(|| *pick(&mut g.rng, &CloseReason::ALL[..5]));
                let case = Case {
                    id: g.ids.next(at),
                    number,
                    municipality: municipality.clone(),
                    status,
                    close_reason,
                    draft,
                    created_at: at,
                    updated_at: at,
                    device_id,
                };
                let row = cases::insert(&tx, &case)?;
                search::index_case(&tx, row, &case)?;
                let officer = case.draft.assigned_officer.clone();
                let mut when = at;
                let mut day = intake;
                let entry = |g: &mut Gen,
                             kind: EntryKind,
                             text: String,
                             day: NaiveDate,
                             when: chrono::DateTime<Utc>| Entry {
                    id: g.ids.next(when),
                    case_id: case.id,
                    kind,
                    action_type: None,
                    occurred_on: day,
                    text,
                    corrects: None,
                    status_from: None,
                    status_to: None,
                    author: officer.clone(),
                    created_at: when,
                    device_id,
                    referral: None,
                };
                timeline::append(&tx, &entry(&mut g, EntryKind::Opened, String::new(), day, when))?;
                summary.timeline_entries += 1;
                let mut from = Status::New;
                let mut referred_on = None;
                for to in path {
                    let step = g.rng.random_range(1..20);
                    day = (day + Duration::days(step)).min(today);
                    when = noon(day).max(when + Duration::minutes(1));
                    if g.rng.random_bool(0.6) {
                        let note = pick(&mut g.rng, NOTES).to_string();
                        let mut e = entry(&mut g, EntryKind::Action, note, day, when);
                        e.action_type = Some(pick(&mut g.rng, &g.action_types).clone());
                        timeline::append(&tx, &e)?;
                        when += Duration::minutes(1);
                        summary.timeline_entries += 1;
                    }
                    let mut e = entry(&mut g, EntryKind::StatusChange, String::new(), day, when);
                    e.status_from = Some(from);
                    e.status_to = Some(to);
                    if to == Status::Closed {
                        e.action_type = close_reason.map(|r| r.as_str().to_string());
                    }
                    if to == Status::Reopened {
                        e.text = "Personi solli fakte të reja / New facts brought by the person.".into();
                    }
                    timeline::append(&tx, &e)?;
                    when += Duration::minutes(1);
                    summary.timeline_entries += 1;
                    if to == Status::Referred && referred_on.is_none() {
                        referred_on = Some((day, when));
                    }
                    from = to;
                }
                if let Some((on, at)) = referred_on {
                    let made = demo_referral(&case, on, at, today, status, &officer, device_id);
                    referrals::put(&tx, &made.referral)?;
                    for e in &made.entries {
                        timeline::append(&tx, e)?;
                    }
                    summary.timeline_entries += made.entries.len();
                    summary.referrals += 1;
                }
                for _ in 0..g.rng.random_range(0..3) {
                    let due = day + Duration::days(g.rng.random_range(3..40));
                    let done = status == Status::Closed || (due < today && g.rng.random_bool(0.7));
                    let task = Task {
                        id: g.ids.next(when),
                        case_id: case.id,
                        title: pick(&mut g.rng, TASKS).to_string(),
                        due,
                        assignee: officer.clone(),
                        done_at: done.then_some(noon(due.min(today))),
                        done_by: done.then(|| officer.clone()),
                        created_at: when,
                        device_id,
                    };
                    tasks::insert(&tx, &task)?;
                    summary.tasks += 1;
                }
                // The changes sync carries, as if this case's device had made them.
                let mut touched = vec![(Kind::Case, case.id.as_uuid())];
                touched.extend(case.draft.acts.iter().filter_map(|a| a.id).map(|a| (Kind::Act, a.as_uuid())));
                touched
                    .extend(timeline::of_case(&tx, case.id)?.iter().map(|e| (Kind::Entry, e.id.as_uuid())));
                touched.extend(tasks::of_case(&tx, case.id)?.iter().map(|t| (Kind::Task, t.id.as_uuid())));
                touched.extend(
                    referrals::of_case(&tx, case.id)?.iter().map(|r| (Kind::Referral, r.id.as_uuid())),
                );
                capture(&tx, device_id.as_uuid(), self.clock.now(), &touched)?;
                summary.cases += 1;
            }
            rightsdesk_store::commit(tx)?;
            self.store.checkpoint()?;
            done += batch;
        }
        search::optimize(self.store.conn())?;
        self.store.checkpoint()?;
        Ok(summary)
    }
}

struct DemoReferral {
    referral: Referral,
    entries: Vec<Entry>,
}

const ASKED: &[(&str, &str)] = &[
    (
        "investigation",
        "Të shqyrtohet rasti dhe të merren masat në kuadër të kompetencave tuaja. / Examine the case and take measures within your competence.",
    ),
    (
        "legal_aid",
        "Të vlerësohet e drejta e personit për ndihmë juridike falas. / Assess the person's eligibility for free legal aid.",
    ),
    (
        "social_assistance",
        "Të vlerësohet nevoja për shërbime sociale dhe ndihmë. / Assess the need for social services and assistance.",
    ),
    (
        "decision_correction",
        "Të rishqyrtohet vendimi dhe të korrigjohet nëse është diskriminues. / Review the decision and correct it if it is discriminatory.",
    ),
    (
        "information",
        "Të na dërgohen informatat dhe dokumentet përkatëse. / Send us the relevant information and documents.",
    ),
];

/// A referral for a case the demo moved to `referred` on `on`: to an institution that fits the
/// act, answered, acknowledged or overdue depending on how long ago it was sent. Drawn from its
/// own generator, seeded by the case, so the rest of the demo data is as it was.
fn demo_referral(
    case: &Case,
    on: NaiveDate,
    at: chrono::DateTime<Utc>,
    today: NaiveDate,
    case_status: Status,
    officer: &str,
    device_id: DeviceId,
) -> DemoReferral {
    let seed = case.id.as_uuid().as_u128() as u64;
    let mut rng = ChaCha12Rng::seed_from_u64(seed);
    let mut ids = IdGen::seeded(seed ^ 0x5eed);
    let act = &case.draft.acts[0];
    let institution = match act.area.as_str() {
        "employment" => "labour_inspectorate",
        "education" => "education_inspectorate",
        "social_assistance" | "housing" => "social_work_centre",
        "health" => "health_inspectorate",
        "justice" => "legal_aid",
        "public_administration" => "good_governance",
        _ => "ombudsperson",
    };
    let (request_type, asked) = *pick(&mut rng, ASKED);
    let deadline = on + Duration::days(30);
    let consent = case.draft.person.consent_referral;
    let mut r = Referral {
        id: ids.next(at),
        case_id: case.id,
        draft: ReferralDraft {
            institution: institution.to_string(),
            request_type: request_type.to_string(),
            acts: case.draft.acts.iter().filter_map(|a| a.id).collect(),
            grounds: {
                let mut all: Vec<String> = case.draft.acts.iter().flat_map(|a| a.grounds.clone()).collect();
                rightsdesk_domain::validation::dedup(&mut all);
                all
            },
            asked: asked.to_string(),
            sent_on: on,
            deadline,
            protocol: format!("{}/1", case.number),
            enclosures: vec!["Kopje e ankesës / Copy of the complaint".to_string()],
            override_reason: (!consent)
                .then(|| "Rrezik i menjëhershëm për personin / Immediate risk to the person".to_string()),
        },
        status: ReferralStatus::Sent,
        acknowledged_on: None,
        answered_on: None,
        answer: None,
        closed_on: None,
        author: officer.to_string(),
        created_at: at,
        updated_at: at,
        device_id,
    };
    let rid = r.id;
    let entry = |ids: &mut IdGen, kind: EntryKind, text: String, day: NaiveDate, when, status| Entry {
        id: ids.next(when),
        case_id: case.id,
        kind,
        action_type: None,
        occurred_on: day,
        text,
        corrects: None,
        status_from: None,
        status_to: None,
        author: officer.to_string(),
        created_at: when,
        device_id,
        referral: Some(ReferralMark { id: rid, status, letter: None }),
    };
    let mut entries = Vec::new();
    let mut e = entry(&mut ids, EntryKind::Referred, asked.to_string(), on, at + Duration::seconds(1), None);
    e.action_type = Some(request_type.to_string());
    entries.push(e);
    let mut when = at + Duration::seconds(2);
    let mut step =
        |r: &mut Referral, to: ReferralStatus, day: NaiveDate, text: &str, entries: &mut Vec<Entry>| {
            let from = r.status;
            ReferralUpdate { to, on: day, text: (!text.is_empty()).then(|| text.to_string()) }.apply(r);
            // Mid-morning: the case's own entries of a day are written from noon on.
            when = when.max(noon(day) - Duration::hours(2));
            r.updated_at = when;
            let mut e = entry(&mut ids, EntryKind::ReferralUpdate, text.to_string(), day, when, Some(to));
            e.action_type = Some(from.as_str().to_string());
            entries.push(e);
            when += Duration::minutes(1);
        };
    let days_since = (today - on).num_days();
    if days_since >= 5 && rng.random_bool(0.6) {
        step(
            &mut r,
            ReferralStatus::Acknowledged,
            on + Duration::days(rng.random_range(2..6)),
            "",
            &mut entries,
        );
    }
    // Some answered in time, some late, some still waiting past the deadline (overdue).
    if days_since >= 10 && rng.random_bool(0.65) {
        let answered = (on + Duration::days(rng.random_range(8..45))).min(today);
        if rng.random_bool(0.15) {
            step(
                &mut r,
                ReferralStatus::Rejected,
                answered,
                "Jashtë kompetencës sonë / Outside our competence.",
                &mut entries,
            );
        } else {
            step(
                &mut r,
                ReferralStatus::Answered,
                answered,
                "U hap procedura, nr. ref. 214/26 / Procedure opened, ref. 214/26.",
                &mut entries,
            );
            if case_status == Status::Closed {
                step(
                    &mut r,
                    ReferralStatus::Done,
                    answered.max(on + Duration::days(1)).min(today),
                    "",
                    &mut entries,
                );
            }
        }
    }
    DemoReferral { referral: r, entries }
}

fn noon(d: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).unwrap_or_default())
}
