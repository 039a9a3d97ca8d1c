//! What the Sync screen shows: this device, the registry, every other device with the bundles
//! received from it and the ones missing (gaps), the bundles sent, and the import history.
use super::bundles::ImportReport;
use super::trust::{Identity, RegistryView};
use crate::error::Result;
use crate::setup::Desk;
use rightsdesk_store::sync as table;
use rightsdesk_sync::registry::{DeviceRole, Revocation};
use serde::Serialize;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Another device, as this office knows it.
#[derive(Debug, Clone, Serialize)]
pub struct PeerView {
    pub device: Uuid,
    pub office: String,
    pub officer: String,
    pub municipality: String,
    pub role: Option<DeviceRole>,
    pub fingerprint: String,
    pub revoked: Option<Revocation>,
    /// Bundles from it imported here.
    pub received: u64,
    pub last_received_at: Option<String>,
    /// Its count of bundles to this office at the latest one imported.
    pub last_n: Option<u64>,
    /// Bundles it addressed to this office that have not been imported (by their number).
    pub missing: Vec<u64>,
    /// Bundles this office addressed to it.
    pub sent: u64,
}

impl PeerView {
    /// A device known by name only, before its bundles are counted.
    fn named(device: Uuid, office: &str, officer: &str, municipality: &str) -> Self {
        PeerView {
            device,
            office: office.to_string(),
            officer: officer.to_string(),
            municipality: municipality.to_string(),
            role: None,
            fingerprint: String::new(),
            revoked: None,
            received: 0,
            last_received_at: None,
            last_n: None,
            missing: Vec::new(),
            sent: 0,
        }
    }
}

/// One imported bundle in the history.
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    pub sender: Uuid,
    pub seq: u64,
    pub n: u64,
    pub created_at: String,
    pub imported_at: String,
    pub report: Option<ImportReport>,
}

/// One bundle this device wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Sent {
    pub seq: u64,
    pub recipients: Vec<Uuid>,
    pub scope: String,
    pub changes: u64,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncOverview {
    pub identity: Identity,
    pub registry: Option<RegistryView>,
    pub peers: Vec<PeerView>,
    pub conflicts: u64,
    pub sent: Vec<Sent>,
    pub received: Vec<Received>,
}

impl Desk {
    pub fn import_history(&self) -> Result<Vec<Received>> {
        Ok(table::received(self.store.conn(), None)?
            .into_iter()
            .map(|r| Received {
                sender: r.sender.parse().unwrap_or_default(),
                seq: r.seq as u64,
                n: r.n as u64,
                created_at: r.created_at,
                imported_at: r.imported_at,
                report: serde_json::from_str(&r.report).ok(),
            })
            .collect())
    }

    pub fn sync_overview(&self) -> Result<SyncOverview> {
        let conn = self.store.conn();
        let me = self.profile.device_id.as_uuid();
        let registry = self.registry_view()?;
        let received = self.import_history()?;
        let mut devices: Vec<PeerView> = registry
            .as_ref()
            .map(|r| {
                r.devices
                    .iter()
                    .filter(|d| d.device.device != me)
                    .map(|d| PeerView {
                        role: Some(d.device.role),
                        fingerprint: d.fingerprint.clone(),
                        revoked: d.device.revoked.clone(),
                        ..PeerView::named(
                            d.device.device,
                            &d.device.office,
                            &d.device.officer,
                            &d.device.municipality,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Senders no longer in the registry still show, with what came from them.
        for r in &received {
            if !devices.iter().any(|d| d.device == r.sender) {
                let (office, officer, municipality) = r
                    .report
                    .as_ref()
                    .map(|x| {
                        (x.sender_office.as_str(), x.sender_officer.as_str(), x.sender_municipality.as_str())
                    })
                    .unwrap_or_default();
                devices.push(PeerView::named(r.sender, office, officer, municipality));
            }
        }
        for d in &mut devices {
            let mine: Vec<&Received> = received.iter().filter(|r| r.sender == d.device).collect();
            let ns: BTreeSet<u64> = mine.iter().map(|r| r.n).collect();
            d.received = mine.len() as u64;
            d.last_received_at = mine.iter().map(|r| r.imported_at.clone()).max();
            d.last_n = ns.iter().max().copied();
            d.missing = (1..=d.last_n.unwrap_or(0)).filter(|k| !ns.contains(k)).collect();
            d.sent = table::peer(conn, &d.device.to_string())?.map_or(0, |(_, n)| n as u64);
        }
        let sent = table::sent(conn)?
            .into_iter()
            .map(|s| Sent {
                seq: s.seq as u64,
                recipients: serde_json::from_str::<Vec<rightsdesk_sync::bundle::Recipient>>(&s.recipients)
                    .map(|rs| rs.into_iter().map(|r| r.device).collect())
                    .unwrap_or_default(),
                scope: s.scope,
                changes: s.changes as u64,
                created_at: s.created_at,
            })
            .collect();
        Ok(SyncOverview {
            identity: self.identity()?,
            registry,
            peers: devices,
            conflicts: self.conflict_count()?,
            sent,
            received,
        })
    }
}
