//! The two embedded faces (DejaVu Sans and DejaVu Sans Bold, `assets/fonts/`), parsed once per
//! process, and the metrics the layout needs from them.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::PrintError;
use crate::layout::{Metrics, Style};

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// One parsed face with the numbers layout and the glyph check need.
pub(crate) struct Face {
    pub(crate) parsed: ParsedFont,
    units_per_em: f32,
    /// Above the baseline, in em (hhea ascender).
    ascent: f32,
    /// Below the baseline, in em, positive (hhea descender).
    descent: f32,
}

impl Face {
    fn parse(bytes: &[u8], name: &str) -> Result<Face, String> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| format!("the embedded font {name} could not be parsed"))?;
        let m = &parsed.pdf_font_metrics;
        let units_per_em = f32::from(m.units_per_em);
        if units_per_em <= 0.0 {
            return Err(format!("the embedded font {name} has no units per em"));
        }
        let ascent = f32::from(m.ascender) / units_per_em;
        let descent = f32::from(m.descender).abs() / units_per_em;
        Ok(Face { parsed, units_per_em, ascent, descent })
    }

    /// The glyph for `c`, if the face has one (glyph 0 is `.notdef`, the empty box).
    pub(crate) fn has_glyph(&self, c: char) -> bool {
        matches!(self.parsed.lookup_glyph_index(u32::from(c)), Some(gid) if gid != 0)
    }

    /// Advance width of `c` in 1/1000 em, truncated exactly as printpdf writes the `/W` array,
    /// so that a measured width is exactly what a viewer lays out. A missing glyph measures 0
    /// (text is checked with [`Face::has_glyph`] before it is laid out).
    fn advance_milli(&self, c: char) -> u16 {
        let Some(gid) = self.parsed.lookup_glyph_index(u32::from(c)) else { return 0 };
        let units = f32::from(self.parsed.get_horizontal_advance(gid));
        // Truncation, as printpdf does; advances are below 2 em, so this fits.
        (units * 1000.0 / self.units_per_em) as u16
    }
}

/// Both faces.
pub(crate) struct Fonts {
    pub(crate) regular: Face,
    pub(crate) bold: Face,
}

impl Fonts {
    pub(crate) fn face(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }
}

impl Metrics for Fonts {
    fn advance(&self, style: Style, c: char) -> u16 {
        self.face(style).advance_milli(c)
    }
    fn ascent(&self, style: Style) -> f32 {
        self.face(style).ascent
    }
    fn descent(&self, style: Style) -> f32 {
        self.face(style).descent
    }
}

/// The faces, parsed on first use (a few ms) and shared by every later render in the process.
pub(crate) fn fonts() -> Result<&'static Fonts, PrintError> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Ok(Fonts {
                regular: Face::parse(REGULAR_TTF, "DejaVuSans.ttf")?,
                bold: Face::parse(BOLD_TTF, "DejaVuSans-Bold.ttf")?,
            })
        })
        .as_ref()
        .map_err(|e| PrintError::Font(e.clone()))
}
