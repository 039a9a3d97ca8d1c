//! Device keys, enrolment and the trust registry (see `rightsdesk_sync::registry` for the rules).
//!
//! - Every installation has its keys from set-up (older databases get them when first unlocked).
//! - A coordinator's installation issues the registry: it starts as version 1 listing the
//!   coordinator's own device, and every approval or revocation signs a new version.
//! - An officer's installation has no registry until it imports the central office's, confirming its
//!   fingerprint the first time; later registries must come from the same key and be newer.
use super::SyncError;
use crate::error::Result;
use crate::setup::Desk;
use rightsdesk_domain::clock::stamp;
use rightsdesk_domain::profile::Role;
use rightsdesk_store::{Connection, sync as table};
use rightsdesk_sync::keys::{self, DeviceKeys};
use rightsdesk_sync::registry::{self, Device, DeviceRole, Enrolment, Registry, Revocation};
use serde::Serialize;
use uuid::Uuid;

/// What `keys show` and the Sync screen show about this device.
#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub device: Uuid,
    pub fingerprint: String,
    pub public_key: String,
    pub age_recipient: String,
    pub role: Role,
    pub municipality: String,
    pub office: String,
    pub officer: String,
}

/// The registry as this office holds it.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryView {
    pub issuer: Uuid,
    pub issuer_fingerprint: String,
    pub version: u64,
    pub issued: chrono::DateTime<chrono::Utc>,
    /// Whether this device issues it (a coordinator's installation).
    pub ours: bool,
    pub devices: Vec<DeviceView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceView {
    #[serde(flatten)]
    pub device: Device,
    pub fingerprint: String,
}

pub(crate) fn role_of(role: Role) -> DeviceRole {
    match role {
        Role::Officer => DeviceRole::Officer,
        Role::Coordinator => DeviceRole::Coordinator,
    }
}

impl Desk {
    /// Creates this device's keys (and, for a coordinator, the first registry) if it has none.
    pub(crate) fn ensure_keys(&mut self) -> Result<()> {
        if table::device_secrets(self.store.conn())?.is_some() {
            return Ok(());
        }
        let keys = DeviceKeys::generate(self.ids.bytes::<64>());
        let (signing, age) = keys.to_secret_strings();
        let now = self.clock.now();
        let own = self.own_entry(&keys);
        let tx = self.store.transaction()?;
        table::put_device_secrets(&tx, &signing, &age, &stamp(now))?;
        if self.profile.role == Role::Coordinator {
            let registry = Registry {
                format: registry::REGISTRY_FORMAT.to_string(),
                issuer: self.profile.device_id.as_uuid(),
                version: 1,
                issued: super::millis(now),
                devices: vec![own],
            };
            store_registry(&tx, &registry, &keys, &stamp(now))?;
        }
        Ok(rightsdesk_store::commit(tx)?)
    }

    pub(crate) fn keys(&self) -> Result<DeviceKeys> {
        let (signing, age) = table::device_secrets(self.store.conn())?.ok_or(SyncError::NoKeys)?;
        Ok(DeviceKeys::from_secret_strings(&signing, &age).map_err(|_| SyncError::NoKeys)?)
    }

    fn own_entry(&self, keys: &DeviceKeys) -> Device {
        Device {
            device: self.profile.device_id.as_uuid(),
            key: keys.public(),
            age: keys.age_recipient(),
            municipality: self.profile.municipality.clone(),
            office: self.profile.office.clone(),
            officer: self.profile.officer.clone(),
            role: role_of(self.profile.role),
            approved: super::millis(self.profile.created_at),
            revoked: None,
        }
    }

    pub fn identity(&self) -> Result<Identity> {
        let keys = self.keys()?;
        Ok(Identity {
            device: self.profile.device_id.as_uuid(),
            fingerprint: keys.fingerprint(),
            public_key: keys.public(),
            age_recipient: keys.age_recipient(),
            role: self.profile.role,
            municipality: self.profile.municipality.clone(),
            office: self.profile.office.clone(),
            officer: self.profile.officer.clone(),
        })
    }

    /// This device's signed enrolment request, for the central office to approve.
    pub fn enrolment_request(&self) -> Result<Vec<u8>> {
        let keys = self.keys()?;
        let e = Enrolment {
            format: registry::ENROLMENT_FORMAT.to_string(),
            device: self.profile.device_id.as_uuid(),
            key: keys.public(),
            age: keys.age_recipient(),
            municipality: self.profile.municipality.clone(),
            office: self.profile.office.clone(),
            officer: self.profile.officer.clone(),
            role: role_of(self.profile.role),
            created: super::millis(self.clock.now()),
        };
        Ok(e.seal(&keys.signing))
    }

    /// Reads an enrolment request without approving it (to show its fingerprint first).
    pub fn read_enrolment(&self, file: &[u8]) -> Result<(Enrolment, String)> {
        let (opened, e) = Enrolment::open(file).map_err(SyncError::from)?;
        Ok((e, keys::fingerprint(&opened.key)))
    }

    /// The registry this office holds, if any.
    pub fn registry(&self) -> Result<Option<Registry>> {
        let Some(row) = table::registry(self.store.conn())? else { return Ok(None) };
        let (_, r) = Registry::open(&row.file).map_err(SyncError::from)?;
        Ok(Some(r))
    }

    pub fn registry_view(&self) -> Result<Option<RegistryView>> {
        let Some(r) = self.registry()? else { return Ok(None) };
        let fp = |key: &str| keys::parse_public_key(key).map(|k| keys::fingerprint(&k)).unwrap_or_default();
        let issuer_fingerprint = r.device(r.issuer).map(|d| fp(&d.key)).unwrap_or_default();
        Ok(Some(RegistryView {
            issuer: r.issuer,
            issuer_fingerprint,
            version: r.version,
            issued: r.issued,
            ours: r.issuer == self.profile.device_id.as_uuid(),
            devices: r
                .devices
                .iter()
                .map(|d| DeviceView { fingerprint: fp(&d.key), device: d.clone() })
                .collect(),
        }))
    }

    /// The signed registry file, to send to units.
    pub fn registry_file(&self) -> Result<Vec<u8>> {
        Ok(table::registry(self.store.conn())?.ok_or(SyncError::NoRegistry)?.file)
    }

    fn issuing(&self) -> Result<(DeviceKeys, Registry)> {
        if self.profile.role != Role::Coordinator {
            return Err(SyncError::NotCoordinator.into());
        }
        let registry = self.registry()?.ok_or(SyncError::NoRegistry)?;
        if registry.issuer != self.profile.device_id.as_uuid() {
            return Err(SyncError::NotCoordinator.into());
        }
        Ok((self.keys()?, registry))
    }

    fn reissue(&mut self, mut registry: Registry, keys: &DeviceKeys) -> Result<Registry> {
        let now = self.clock.now();
        registry.version += 1;
        registry.issued = super::millis(now);
        registry.devices.sort_by_key(|d| d.device);
        let tx = self.store.transaction()?;
        store_registry(&tx, &registry, keys, &stamp(now))?;
        rightsdesk_store::commit(tx)?;
        Ok(registry)
    }

    /// Approves an enrolment request into the registry (coordinator only). A device approved again
    /// gets its new keys and details; a revoked device stays revoked.
    pub fn approve(&mut self, file: &[u8]) -> Result<Device> {
        let (keys, mut registry) = self.issuing()?;
        let (e, _) = self.read_enrolment(file)?;
        if let Some(old) = registry.device(e.device)
            && old.revoked.is_some()
        {
            return Err(SyncError::Revoked { device: e.device }.into());
        }
        let entry = Device {
            device: e.device,
            key: e.key,
            age: e.age,
            municipality: e.municipality,
            office: e.office,
            officer: e.officer,
            role: e.role,
            approved: super::millis(self.clock.now()),
            revoked: None,
        };
        if let Some(old) = registry.device(entry.device)
            && (Device { approved: old.approved, ..entry.clone() }) == *old
        {
            // The same request again: the registry already says all of it.
            return Ok(old.clone());
        }
        registry.devices.retain(|d| d.device != entry.device);
        registry.devices.push(entry.clone());
        self.reissue(registry, &keys)?;
        Ok(entry)
    }

    /// Revokes a device (coordinator only): bundles it signs after the last one this office
    /// imported from it are refused wherever the new registry arrives.
    pub fn revoke(&mut self, device: Uuid, reason: &str) -> Result<Device> {
        let (keys, mut registry) = self.issuing()?;
        if device == self.profile.device_id.as_uuid() {
            return Err(SyncError::CannotRevokeSelf.into());
        }
        let after_seq =
            table::last_received(self.store.conn(), &device.to_string())?.map_or(0, |(s, _)| s as u64);
        let at = super::millis(self.clock.now());
        let entry = registry
            .devices
            .iter_mut()
            .find(|d| d.device == device)
            .ok_or(SyncError::UnknownPeer { peer: device.to_string() })?;
        entry.revoked = Some(Revocation { at, after_seq, reason: reason.trim().to_string() });
        let out = entry.clone();
        self.reissue(registry, &keys)?;
        Ok(out)
    }

    /// Imports the central office's registry. The first time, `confirm` must be the issuer's
    /// fingerprint as read out by the central office; later, the registry must be signed by the
    /// same key and be newer. Returns whether anything changed.
    pub fn import_registry(&mut self, file: &[u8], confirm: Option<&str>) -> Result<bool> {
        let now = stamp(self.clock.now());
        let tx = self.store.transaction()?;
        let changed = accept_registry(&tx, self.profile.device_id.as_uuid(), file, confirm, &now)?;
        rightsdesk_store::commit(tx)?;
        Ok(changed)
    }
}

fn store_registry(conn: &Connection, r: &Registry, keys: &DeviceKeys, now: &str) -> Result<()> {
    let file = r.seal(&keys.signing);
    table::put_registry(conn, &r.issuer.to_string(), &keys.public(), r.version as i64, &file, now)?;
    Ok(())
}

/// Accepts a registry file into `conn` (see [`Desk::import_registry`]).
pub(crate) fn accept_registry(
    conn: &Connection,
    me: Uuid,
    file: &[u8],
    confirm: Option<&str>,
    now: &str,
) -> Result<bool> {
    let (opened, r) = Registry::open(file).map_err(SyncError::from)?;
    let key = keys::public_key_string(&opened.key);
    let fingerprint = keys::fingerprint(&opened.key);
    match table::registry(conn)? {
        None => {
            let expected = confirm.map(|c| c.trim().to_ascii_uppercase());
            if expected.as_deref() != Some(fingerprint.as_str()) {
                return Err(SyncError::ConfirmCentral { fingerprint }.into());
            }
        }
        Some(held) => {
            if held.issuer == me.to_string() {
                return Err(SyncError::OwnRegistry.into());
            }
            if held.issuer_key != key || held.issuer != r.issuer.to_string() {
                return Err(SyncError::RegistryNotFromCentral { fingerprint }.into());
            }
            if r.version <= held.version as u64 {
                return Ok(false);
            }
        }
    }
    table::put_registry(conn, &r.issuer.to_string(), &key, r.version as i64, file, now)?;
    Ok(true)
}
