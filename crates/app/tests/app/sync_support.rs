//! A small sync network for tests: one central office (coordinator) and units enrolled with it, all
//! on one shared fixed clock, exchanging real bundle files through a temporary folder.
use super::support::{Office, PASS, clock, profile};
use rightsdesk_app::sync::bundles::{ExportRequest, ImportReport};
use rightsdesk_app::{AppError, DataDir, Desk};
use rightsdesk_domain::clock::FixedClock;
use rightsdesk_domain::ids::IdGen;
use rightsdesk_domain::profile::Role;
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;

pub struct Network {
    pub clock: Arc<FixedClock>,
    pub central: Office,
    pub units: Vec<Office>,
    pub mail: TempDir,
    sent: usize,
}

/// A coordinator's installation at the central office.
pub fn central_office(seed: u64, clock: Arc<FixedClock>) -> Office {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = DataDir::new(tmp.path().join("data"));
    let mut p = profile("prishtine");
    p.role = Role::Coordinator;
    p.office = "Zyra Qendrore / Central office".into();
    p.officer = "Mimoza Berisha".into();
    let desk = Desk::setup(dir, p, PASS, Some(PASS), clock.clone(), IdGen::seeded(seed))
        .expect("setting up the central office");
    Office::from_parts(tmp, clock, desk)
}

impl Network {
    /// A central office and one enrolled unit per municipality, each holding the latest registry.
    pub fn new(municipalities: &[&str]) -> Self {
        let clock = clock();
        let mut central = central_office(1000, clock.clone());
        let mut units: Vec<Office> = municipalities
            .iter()
            .enumerate()
            .map(|(i, m)| Office::with_clock(2000 + i as u64, m, clock.clone()))
            .collect();
        for u in &units {
            let request = u.desk.enrolment_request().expect("a unit makes its enrolment request");
            central.desk.approve(&request).expect("the coordinator approves the unit");
        }
        let registry = central.desk.registry_file().expect("the central office's registry");
        let fp = central.desk.identity().expect("the central office's identity").fingerprint;
        for u in &mut units {
            u.desk.import_registry(&registry, Some(&fp)).expect("a unit imports the registry it confirmed");
        }
        Network { clock, central, units, mail: tempfile::tempdir().expect("a mail folder"), sent: 0 }
    }

    pub fn device(office: &Office) -> String {
        office.desk.profile().device_id.to_string()
    }

    /// Writes a bundle from `from` to `to` and returns the file's bytes.
    pub fn bundle(&mut self, from: &mut Office, to: &Office, full: bool) -> Vec<u8> {
        self.sent += 1;
        let path: PathBuf = self.mail.path().join(format!("bundle-{}.rdbundle", self.sent));
        let req = ExportRequest { to: Self::device(to), full, plain: false };
        from.desk.export_bundle(&req, &path).expect("exporting a bundle to an enrolled peer");
        std::fs::read(&path).expect("the bundle file was written")
    }
}

/// Imports with no progress bar.
pub fn import(office: &mut Office, file: &[u8]) -> Result<ImportReport, AppError> {
    office.desk.import_bundle(file, &mut |_, _| {})
}

pub fn preview(office: &mut Office, file: &[u8]) -> Result<ImportReport, AppError> {
    office.desk.preview_bundle(file, &mut |_, _| {})
}

pub fn digest(office: &Office) -> String {
    office.desk.state_digest().expect("computing the state digest").0
}
