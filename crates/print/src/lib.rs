//! Rightsdesk's printing engine: a [`Document`] value in, deterministic PDF bytes out.
//!
//! Generic on purpose — no database, no knowledge of cases or letters: the caller (referral
//! letters, period reports) builds a [`Document`] from [`Block`]s and calls [`render`].
//!
//! What it guarantees:
//!
//! - **A4 with a ministry letter's margins** (25 mm left, 20 mm right, 20 mm top, 25 mm bottom;
//!   see [`geometry`]), body in DejaVu Sans 10.5 pt with 1.4 line height, bold in DejaVu Sans
//!   Bold. Both faces are embedded (subset, with a ToUnicode map), so the text is real text:
//!   selectable, searchable and extractable, in Albanian, Serbian Latin and Serbian Cyrillic.
//! - **Nothing is cut off.** Text wraps at spaces (U+00A0 binds two words together) and at
//!   `'\n'`; a word longer than a line is split between characters; the body flows over as many
//!   pages as it needs; every page gets the footer with "page X of Y".
//! - **Tables and charts for reports.** A [`Block::Table`] sizes its columns from their
//!   content, breaks between rows (never inside one) with its header row repeated at the top of
//!   every continuation page, never leaves its header alone at the bottom of a page, and is
//!   printed in column slices that repeat its label columns when it is wider than the page
//!   ([`Table`]). A [`Block::BarChart`] draws horizontal, optionally stacked bars as vector
//!   rectangles whose series differ by grey level and outline, so they read in black-and-white
//!   print, and stays on one page when it fits on one ([`BarChart`]). Their titles, headers,
//!   cells, labels, legends and values are real text in the embedded fonts, checked like all
//!   text.
//! - **No silent boxes.** Text is normalised to NFC, tabs become spaces, other control and
//!   invisible formatting characters are dropped ([`normalize_text`]), and a character the fonts
//!   cannot draw is refused with [`PrintError::MissingGlyph`] ([`check_text`] checks ahead) —
//!   in every text of the document, table cells and chart labels included.
//! - **Deterministic.** The same document gives the same bytes, in any process, on any day:
//!   dates come from [`Document::date`], never from the clock, and the PDF `/ID` is the SHA-256
//!   of the document's content — so a stored hash proves which letter was sent.
//!
//! ```
//! use rightsdesk_print::{Block, Document, Footer, Para, render};
//!
//! let doc = Document {
//!     title: "Letër referimi".into(),
//!     author: "Zyra për të drejtat e njeriut".into(),
//!     lang: "sq".into(),
//!     date: chrono::NaiveDate::from_ymd_opt(2026, 5, 14).unwrap(),
//!     logo: None,
//!     letterhead: vec!["Komuna e Gjakovës".into(), "Zyra për të drejtat e njeriut".into()],
//!     blocks: vec![
//!         Block::Heading("Letër referimi".into()),
//!         Block::Paragraph(Para::new("Të nderuar, ju referojmë klientin tonë …")),
//!     ],
//!     footer: Footer { left: "Nr. prot. 042/2026".into(), page_label: "Faqe {page} nga {pages}".into() },
//! };
//! let pdf = render(&doc).unwrap();
//! assert!(pdf.starts_with(b"%PDF-"));
//! ```

mod digest;
mod fonts;
pub mod geometry;
mod image;
mod layout;
mod pdf;
mod text;

pub use text::{check_text, normalize_text};

/// A document to print. Every string is normalised with [`normalize_text`] before use.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The PDF's title (document properties; not printed).
    pub title: String,
    /// The PDF's author (document properties; not printed).
    pub author: String,
    /// The language of the text as a BCP 47 tag (`"sq"`, `"sr-Latn"`, `"sr-Cyrl"`, `"en"`),
    /// written as the catalog's `/Lang` for screen readers. Empty: none. Only ASCII letters,
    /// digits and `-` are accepted.
    pub lang: String,
    /// The document's date: the PDF's creation and modification dates (midnight UTC). The
    /// clock is never read, so printing the same document again gives the same bytes.
    pub date: chrono::NaiveDate,
    /// A PNG logo for the letterhead on page 1, drawn left of the letterhead lines,
    /// [`geometry::LOGO_HEIGHT`] high (at most [`geometry::LOGO_MAX_WIDTH`] wide).
    pub logo: Option<Vec<u8>>,
    /// Page 1's letterhead: lines centred on the page, the first one bold and larger (the
    /// institution), the others smaller (unit, address, contacts); a rule follows. Long lines
    /// wrap. Empty and no logo: no letterhead.
    pub letterhead: Vec<String>,
    /// The body, flowing over as many pages as it needs.
    pub blocks: Vec<Block>,
    /// The footer printed on every page.
    pub footer: Footer,
}

/// The footer on every page, below a thin rule inside the bottom margin.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Footer {
    /// Left-aligned text, e.g. the protocol number. Wraps; at most three lines.
    pub left: String,
    /// Right-aligned page label; `{page}` and `{pages}` are replaced with the page number and
    /// the page count, e.g. `"Faqe {page} nga {pages}"`. Empty: no page label.
    pub page_label: String,
}

/// A piece of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Running text.
    Paragraph(Para),
    /// A bold heading, larger than the body; never left alone at the bottom of a page (it moves
    /// to the next page together with the first two lines of what follows).
    Heading(String),
    /// A list; each item wraps with a hanging indent behind its bullet or number.
    List {
        /// The items, in order.
        items: Vec<String>,
        /// `1.`, `2.`, … instead of bullets.
        numbered: bool,
    },
    /// Label–value rows (protocol number, date, subject): labels in a bold column as wide as
    /// the widest label (at most 40 % of the line), values wrapping beside them.
    Fields(Vec<(String, String)>),
    /// Vertical space, in millimetres (0–200). Like all vertical space, dropped at the top of
    /// a page.
    Spacer(f32),
    /// A thin horizontal rule across the text width.
    Rule,
    /// Blocks that must stay on one page, e.g. closing and signature: moved to the next page
    /// whole when they do not fit on the current one. Taller than a page: they just flow.
    KeepTogether(Vec<Block>),
    /// Continue on a new page (no effect at the top of a page).
    PageBreak,
    /// A statistical table: a bold header row on a light-grey background, body rows between
    /// thin rules, cells wrapping inside their columns. It breaks between rows (a row is never
    /// split) with the header row repeated on every continuation page, and is printed in
    /// column slices when it is wider than the page. See [`Table`].
    Table(Table),
    /// A horizontal bar chart drawn with vector paths, readable in black and white; kept on
    /// one page when it fits on one. See [`BarChart`].
    BarChart(BarChart),
}

impl Block {
    /// A body paragraph with the default style ([`Para::new`]).
    pub fn para(text: impl Into<String>) -> Block {
        Block::Paragraph(Para::new(text))
    }
}

/// A paragraph of running text and its style. `'\n'` in the text is a line break.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    /// The text.
    pub text: String,
    /// In DejaVu Sans Bold.
    pub bold: bool,
    /// Font size in points, 6–28 (default [`geometry::BODY_SIZE`]).
    pub size: f32,
    /// Horizontal alignment (default [`Align::Left`]).
    pub align: Align,
    /// Left indent of the whole paragraph in millimetres, 0–80 (default 0).
    pub indent_mm: f32,
    /// Space after the paragraph in millimetres, 0–100 (default 2.5).
    pub space_after_mm: f32,
}

impl Para {
    /// Body text: regular, 10.5 pt, left-aligned, no indent, 2.5 mm after.
    pub fn new(text: impl Into<String>) -> Para {
        Para {
            text: text.into(),
            bold: false,
            size: geometry::BODY_SIZE,
            align: Align::Left,
            indent_mm: 0.0,
            space_after_mm: 2.5,
        }
    }
    /// The same paragraph in bold.
    #[must_use]
    pub fn bold(mut self) -> Para {
        self.bold = true;
        self
    }
    /// The same paragraph at `size` points.
    #[must_use]
    pub fn size(mut self, size: f32) -> Para {
        self.size = size;
        self
    }
    /// The same paragraph aligned `align`.
    #[must_use]
    pub fn align(mut self, align: Align) -> Para {
        self.align = align;
        self
    }
    /// The same paragraph indented `mm` millimetres.
    #[must_use]
    pub fn indent(mut self, mm: f32) -> Para {
        self.indent_mm = mm;
        self
    }
    /// The same paragraph with `mm` millimetres after it.
    #[must_use]
    pub fn space_after(mut self, mm: f32) -> Para {
        self.space_after_mm = mm;
        self
    }
}

/// A table of figures, e.g. cases by ground and community.
///
/// - **Widths from content.** A [`Align::Right`] or [`Align::Center`] column is as wide as its
///   widest cell (cells of such columns are not meant to wrap) or the longest word of its header
///   (headers wrap at spaces), whichever is wider. [`Align::Left`] and [`Align::Justify`] columns
///   are label columns: they take the rest of the 165 mm text width, and their cells wrap at
///   spaces (a word wider than the column is split between characters). No column is narrower
///   than the longest word of its header at the table's size, unless that alone is wider than
///   the page.
/// - **Pages.** The table breaks between rows, never inside one; every continuation page starts
///   with the header row again, and the header row never stays alone at the bottom of a page
///   (it moves on with the first two body rows). A [`Block::Heading`] right before the table
///   stays with its header. A row taller than a page is refused ([`PrintError::Invalid`]).
/// - **Too wide.** When the columns do not fit side by side at their minimum widths, the table
///   is printed in slices, one after the other: every slice repeats the first
///   [`repeat_columns`](Table::repeat_columns) columns and carries as many of the further
///   columns as fit. The repeated columns have the same width in every slice.
///
/// A row with more or fewer cells than the table has columns is refused with
/// [`PrintError::Invalid`].
///
/// ```
/// use rightsdesk_print::{Block, Column, Table, TableRow};
///
/// let table = Table::new(
///     vec![Column::label("Baza"), Column::number("2025"), Column::number("2026")],
///     vec![
///         TableRow::new(vec!["Gjinia".into(), "12".into(), "<5".into()]),
///         TableRow::bold(vec!["Gjithsej".into(), "12".into(), "3".into()]),
///     ],
/// );
/// let block = Block::Table(table);
/// # let _ = block;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The columns, left to right; at least one.
    pub columns: Vec<Column>,
    /// The body rows, top to bottom; each has exactly one cell per column.
    pub rows: Vec<TableRow>,
    /// How many leading columns (the labels) are repeated in every column slice of a table too
    /// wide for the page; at most the number of columns (default 1).
    pub repeat_columns: usize,
    /// Font size in points, 6–14 (default [`geometry::TABLE_SIZE`], 8.5).
    pub size: f32,
}

impl Table {
    /// A table with the default style: the first column repeated in slices, 8.5 pt.
    pub fn new(columns: Vec<Column>, rows: Vec<TableRow>) -> Table {
        Table { columns, rows, repeat_columns: 1, size: geometry::TABLE_SIZE }
    }
}

/// A column of a [`Table`]: its header and how its cells are aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header, printed bold in the header row; wraps at spaces (and at `'\n'`).
    pub header: String,
    /// [`Align::Left`] for labels (the column takes the free width and its cells wrap),
    /// [`Align::Right`] for numbers (as wide as its content).
    pub align: Align,
}

impl Column {
    /// A label column: left-aligned, taking the free width.
    pub fn label(header: impl Into<String>) -> Column {
        Column { header: header.into(), align: Align::Left }
    }
    /// A number column: right-aligned, as wide as its content.
    pub fn number(header: impl Into<String>) -> Column {
        Column { header: header.into(), align: Align::Right }
    }
}

/// A body row of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// One text per column; `'\n'` is a line break inside the cell.
    pub cells: Vec<String>,
    /// In DejaVu Sans Bold, with a rule above it (e.g. a "Total" row).
    pub bold: bool,
}

impl TableRow {
    /// A regular row.
    pub fn new(cells: Vec<String>) -> TableRow {
        TableRow { cells, bold: false }
    }
    /// A bold row, e.g. the totals.
    pub fn bold(cells: Vec<String>) -> TableRow {
        TableRow { cells, bold: true }
    }
}

/// A horizontal bar chart, drawn as vector paths and told apart without colour.
///
/// The bold title comes first; with two or more series a legend follows, with a swatch per
/// series. Each bar has its label in a left column (wrapping, at most 40 % of the text width),
/// its segments stacked from a thin baseline axis, scaled so that the largest total fills the
/// bar area, and its [`text`](Bar::text) just right of the bar's end. Series fills, each
/// segment with a thin black outline: 1 dark grey, 2 mid-grey, 3 white, 4 light grey. A
/// zero or all-`None` bar prints its label and text with no rectangle. All text is real text
/// in the embedded fonts.
///
/// The chart is kept on one page (moved to the next page whole when it does not fit on the
/// current one); a chart taller than a page flows bar by bar, its title kept with the first
/// bars. A chart needs 1–4 series, one value per series in every bar, and values that are
/// finite and not negative ([`PrintError::Invalid`] otherwise).
///
/// ```
/// use rightsdesk_print::{Bar, BarChart, Block};
///
/// let chart = BarChart {
///     title: "Rastet sipas gjinisë".into(),
///     series: vec!["Gra".into(), "Burra".into()],
///     bars: vec![
///         Bar::new("Gjinia", vec![Some(7.0), Some(5.0)], "12"),
///         Bar::new("Mosha", vec![Some(6.0), None], "6 + <5"),
///     ],
/// };
/// let block = Block::BarChart(chart);
/// # let _ = block;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Printed bold above the chart.
    pub title: String,
    /// The names of the series, 1–4: one series gives simple bars, more give stacked bars and
    /// a legend.
    pub series: Vec<String>,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The label left of the bar; wraps.
    pub label: String,
    /// One value per series, finite and not negative; `None` draws nothing for that series
    /// (e.g. a suppressed small number).
    pub values: Vec<Option<f64>>,
    /// Printed just right of the bar's end, e.g. `"12"` or `"<5"`. May be empty.
    pub text: String,
}

impl Bar {
    /// A bar with its label, values and text.
    pub fn new(label: impl Into<String>, values: Vec<Option<f64>>, text: impl Into<String>) -> Bar {
        Bar { label: label.into(), values, text: text.into() }
    }
}

/// Horizontal alignment of a paragraph's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Ragged right.
    #[default]
    Left,
    /// Ragged left (e.g. place and date).
    Right,
    /// Centred.
    Center,
    /// Both edges straight, except the last line of the paragraph and lines before a `'\n'`.
    Justify,
}

/// Why a document could not be printed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PrintError {
    /// The text has a character neither font can draw (it would print as an empty box).
    #[error(
        "the character {ch:?} (U+{code:04X}) cannot be printed: the fonts have no glyph for it (in “{context}”)",
        code = u32::from(*ch)
    )]
    MissingGlyph {
        /// The character.
        ch: char,
        /// The text around it, to find it.
        context: String,
    },
    /// The logo is not a PNG we can use.
    #[error("the logo cannot be used: {0}")]
    Logo(String),
    /// A value of the document is out of range (size, indent, space, language tag, footer too
    /// long, a table row with the wrong number of cells, a negative chart value, …); the
    /// message says which.
    #[error("the document cannot be laid out: {0}")]
    Invalid(String),
    /// An embedded font could not be read (a build problem, not a data problem).
    #[error("font error: {0}")]
    Font(String),
    /// Writing the PDF failed.
    #[error("PDF output failed: {0}")]
    Pdf(String),
}

/// Renders `doc` to PDF bytes: lays the blocks out on A4 pages, then writes them with both
/// fonts embedded and subset. The same `doc` always gives the same bytes.
///
/// # Errors
/// [`PrintError::MissingGlyph`] for a character the fonts lack, [`PrintError::Logo`] for a logo
/// that is not a usable PNG, [`PrintError::Invalid`] for out-of-range styles or a footer that
/// does not fit.
pub fn render(doc: &Document) -> Result<Vec<u8>, PrintError> {
    render_counted(doc).map(|r| r.bytes)
}

/// A rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Its number of pages.
    pub pages: u32,
}

/// [`render`], also telling the number of pages.
///
/// # Errors
/// As [`render`].
pub fn render_counted(doc: &Document) -> Result<Rendered, PrintError> {
    let fonts = fonts::fonts()?;
    let doc = text::prepare(doc, fonts)?;
    let logo = doc.logo.as_deref().map(image::decode_png).transpose()?;
    let pages = layout::layout(
        fonts,
        &layout::Input {
            letterhead: &doc.letterhead,
            logo_px: logo.as_ref().map(|l| (l.width, l.height)),
            blocks: &doc.blocks,
            footer: &doc.footer,
        },
    )?;
    let count = u32::try_from(pages.len()).map_err(|_| PrintError::Invalid("too many pages".into()))?;
    let digest = digest::digest(&doc);
    let bytes = pdf::write(fonts, &doc, pages, logo, &digest)?;
    Ok(Rendered { bytes, pages: count })
}

/// Checks that `png` is a logo [`render`] can use: a valid PNG of at most 4096×4096 pixels.
///
/// # Errors
/// [`PrintError::Logo`] saying what is wrong.
pub fn check_logo(png: &[u8]) -> Result<(), PrintError> {
    image::decode_png(png).map(|_| ())
}
