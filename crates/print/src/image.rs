//! The letterhead logo: PNG bytes -> printpdf's `RawImage` (8-bit pixels; printpdf compresses
//! them and writes the alpha channel as a soft mask), with the `png` crate rather than
//! printpdf's `image` stack.

use printpdf::{RawImage, RawImageData, RawImageFormat};

use crate::PrintError;

/// Larger than this (pixels per side) is refused: a letterhead logo is drawn 18 mm high, and a
/// huge image would only bloat every letter.
pub(crate) const MAX_SIDE: u32 = 4096;

pub(crate) fn decode_png(bytes: &[u8]) -> Result<RawImage, PrintError> {
    let bad = |e: png::DecodingError| PrintError::Logo(format!("not a valid PNG image ({e})"));
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // palette -> RGB(A), 16 -> 8 bits, 1/2/4-bit grey -> 8 bits
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(bad)?;
    let (width, height) = (reader.info().width, reader.info().height);
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(PrintError::Logo(format!(
            "the image is {width}×{height} pixels; at most {MAX_SIDE}×{MAX_SIDE} are accepted"
        )));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| PrintError::Logo("the image is too large to decode".into()))?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels).map_err(bad)?;
    pixels.truncate(frame.buffer_size());
    let data_format = match (frame.color_type, frame.bit_depth) {
        (png::ColorType::Grayscale, png::BitDepth::Eight) => RawImageFormat::R8,
        (png::ColorType::GrayscaleAlpha, png::BitDepth::Eight) => RawImageFormat::RG8,
        (png::ColorType::Rgb, png::BitDepth::Eight) => RawImageFormat::RGB8,
        (png::ColorType::Rgba, png::BitDepth::Eight) => RawImageFormat::RGBA8,
        (color, depth) => {
            return Err(PrintError::Logo(format!("unsupported PNG pixel format {color:?} {depth:?}")));
        }
    };
    Ok(RawImage {
        pixels: RawImageData::U8(pixels),
        width: width as usize,
        height: height as usize,
        data_format,
        tag: Vec::new(),
    })
}
