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

// What `sync_errors.rs` and `sync_offices.rs` add: exports of any kind, a device's own keys (to
// sign a forged bundle exactly as a registered device could), opening and re-sealing bundles, and a
// data folder restored from a copy.

/// Writes the bundle `req` asks for (into a folder of its own) and returns the file's bytes, or the
/// refusal. Needs no `Network`, so a test can hold the offices it took out of one.
pub fn export(from: &mut Office, req: ExportRequest) -> Result<Vec<u8>, AppError> {
    let mail = tempfile::tempdir().expect("a mail folder");
    let path = mail.path().join("bundle.rdbundle");
    from.desk.export_bundle(&req, &path)?;
    Ok(std::fs::read(&path).expect("an exported bundle's file was written"))
}

/// An incremental bundle from `from` to `to`, encrypted to `to`.
pub fn bundle_to(from: &mut Office, to: &Office) -> Vec<u8> {
    let req = ExportRequest { to: Network::device(to), full: false, plain: false };
    export(from, req).expect("exporting a bundle to an enrolled peer")
}

/// A signed but unencrypted bundle from `from` to `to` (only for data without personal data).
pub fn plain_to(from: &mut Office, to: &Office) -> Vec<u8> {
    let req = ExportRequest { to: Network::device(to), full: false, plain: true };
    export(from, req).expect("a plain bundle of activities only is allowed")
}

/// An office's device id.
pub fn device_of(office: &Office) -> uuid::Uuid {
    office.desk.profile().device_id.as_uuid()
}

/// The device's secret keys, read from its encrypted database: what a test needs to sign a bundle
/// exactly as that registered device could.
pub fn keys_of(office: &Office) -> rightsdesk_sync::keys::DeviceKeys {
    let (signing, age) = rightsdesk_store::sync::device_secrets(office.desk.store().conn())
        .expect("reading the device secrets")
        .expect("every installation has device keys from set-up");
    rightsdesk_sync::keys::DeviceKeys::from_secret_strings(&signing, &age).expect("the stored keys read back")
}

/// The bundle in `file`, decrypted with `reader`'s key when it is encrypted.
pub fn open_bundle(file: &[u8], reader: &Office) -> rightsdesk_sync::bundle::Bundle {
    use rightsdesk_sync::crypt;
    let plain = if crypt::is_encrypted(file) {
        crypt::decrypt(file, &keys_of(reader).age).expect("the bundle is encrypted to its reader")
    } else {
        file.to_vec()
    };
    rightsdesk_sync::bundle::Bundle::open(&plain).expect("a bundle the app wrote opens").1
}

/// Encrypts a signed file to `to`, as export does.
pub fn encrypt_to(sealed: &[u8], to: &Office) -> Vec<u8> {
    let recipient = rightsdesk_sync::keys::parse_age_recipient(&keys_of(to).age_recipient())
        .expect("a device's own age recipient parses");
    rightsdesk_sync::crypt::encrypt(sealed, &[recipient]).expect("encrypting to one recipient")
}

/// `bundle` signed with `signer`'s keys and, when `to` is given, encrypted to that office.
pub fn seal_bundle(
    bundle: &rightsdesk_sync::bundle::Bundle,
    signer: &rightsdesk_sync::keys::DeviceKeys,
    to: Option<&Office>,
) -> Vec<u8> {
    let sealed = bundle.seal(&signer.signing);
    match to {
        Some(office) => encrypt_to(&sealed, office),
        None => sealed,
    }
}

/// A second installation opened from a copy of `office`'s data folder as it is now: what
/// restoring a backup of that laptop does. Its new ids come from `seed`.
pub fn restored_copy(office: &Office, seed: u64) -> Office {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let to = tmp.path().join("data");
    std::fs::create_dir_all(&to).expect("the copy's data folder");
    for entry in std::fs::read_dir(office.desk.dir().path()).expect("reading the data folder").flatten() {
        let name = entry.file_name();
        // The WAL index is rebuilt from the log by the next connection; the log itself is copied.
        if entry.path().is_file() && !name.to_string_lossy().ends_with("-shm") {
            std::fs::copy(entry.path(), to.join(&name)).expect("copying a data file");
        }
    }
    let desk = Desk::open(DataDir::new(to), PASS, office.clock.clone(), IdGen::seeded(seed))
        .expect("a copied data folder opens with the same passphrase");
    Office::from_parts(tmp, office.clock.clone(), desk)
}
