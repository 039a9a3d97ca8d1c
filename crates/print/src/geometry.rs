//! Page geometry: A4 portrait with the margins of a ministry letter. Lengths in PDF points
//! (1/72 inch) unless the name says `_MM`.

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// A4 width: 210 mm = 595.28 pt.
pub const PAGE_WIDTH: f32 = 210.0 * MM;
/// A4 height: 297 mm = 841.89 pt.
pub const PAGE_HEIGHT: f32 = 297.0 * MM;

/// Left margin: 25 mm (binding side).
pub const MARGIN_LEFT: f32 = 25.0 * MM;
/// Right margin: 20 mm.
pub const MARGIN_RIGHT: f32 = 20.0 * MM;
/// Top margin: 20 mm. Page 1 starts with the letterhead here.
pub const MARGIN_TOP: f32 = 20.0 * MM;
/// Bottom margin: 25 mm. No body text goes below it; the footer lives inside it.
pub const MARGIN_BOTTOM: f32 = 25.0 * MM;

/// Width available to the body: 165 mm.
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// Height available to the body of a page without letterhead: 252 mm.
pub const BODY_HEIGHT: f32 = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;

/// The footer's thin rule, this far above the bottom edge (inside the bottom margin).
pub const FOOTER_RULE_Y: f32 = 20.0 * MM;
/// Baseline of the footer's first line, above the bottom edge.
pub const FOOTER_BASELINE: f32 = 15.0 * MM;

/// Body text size in points.
pub const BODY_SIZE: f32 = 10.5;
/// Line height as a multiple of the font size for body text.
pub const LINE_HEIGHT: f32 = 1.4;
/// Heading size in points.
pub const HEADING_SIZE: f32 = 12.5;
/// Default table text size in points ([`crate::Table::new`]).
pub const TABLE_SIZE: f32 = 8.5;
/// Footer size in points.
pub const FOOTER_SIZE: f32 = 8.0;
/// Height the logo is scaled to (its width follows its aspect ratio, at most
/// [`LOGO_MAX_WIDTH`]).
pub const LOGO_HEIGHT: f32 = 18.0 * MM;
/// The widest a logo is drawn; a wider one is scaled down, keeping its aspect ratio.
pub const LOGO_MAX_WIDTH: f32 = 40.0 * MM;
