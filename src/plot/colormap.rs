//! Perceptually sensible colour maps: viridis (sequential) and a ColorBrewer
//! RdBu-style diverging map centred at 0 for signed matrices.

use plotters::style::RGBColor;

/// Viridis control points (matplotlib's `viridis`, 9 evenly spaced samples).
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// Diverging blue–white–red (ColorBrewer RdBu reversed: negative blue, positive red).
const DIVERGING: [(u8, u8, u8); 11] = [
    (5, 48, 97),
    (33, 102, 172),
    (67, 147, 195),
    (146, 197, 222),
    (209, 229, 240),
    (247, 247, 247),
    (253, 219, 199),
    (244, 165, 130),
    (214, 96, 77),
    (178, 24, 43),
    (103, 0, 31),
];

/// Which colour map a chart uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMap {
    /// Sequential, for non-negative data.
    Viridis,
    /// Diverging, white at 0, for signed data.
    Diverging,
}

impl ColorMap {
    /// Colour at `t ∈ [0, 1]` (clamped; NaN maps to grey).
    pub fn at(self, t: f64) -> RGBColor {
        if t.is_nan() {
            return RGBColor(128, 128, 128);
        }
        let stops: &[(u8, u8, u8)] = match self {
            ColorMap::Viridis => &VIRIDIS,
            ColorMap::Diverging => &DIVERGING,
        };
        let t = t.clamp(0.0, 1.0) * (stops.len() - 1) as f64;
        let i = (t.floor() as usize).min(stops.len() - 2);
        let f = t - i as f64;
        let lerp = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
        let (a, b) = (stops[i], stops[i + 1]);
        RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
    }

    /// The natural map and value range for data spanning `[lo, hi]`: diverging
    /// and symmetric about 0 when the data has both signs, viridis otherwise.
    pub fn for_range(lo: f64, hi: f64) -> (ColorMap, f64, f64) {
        if lo < 0.0 && hi > 0.0 {
            let m = lo.abs().max(hi.abs());
            (ColorMap::Diverging, -m, m)
        } else if lo == hi {
            (ColorMap::Viridis, lo - 0.5, hi + 0.5)
        } else {
            (ColorMap::Viridis, lo, hi)
        }
    }
}

/// Ten categorical colours for communities and series, safe for colour-blind
/// viewers: Paul Tol's "muted" scheme (9 colours, distinguishable under
/// deuteranopia, protanopia and tritanopia; <https://personal.sron.nl/~pault/>)
/// ordered so the first two (the usual pair of series) differ most in
/// lightness (dark indigo, light cyan) and index 3 is the reddish rose; plus
/// a mid grey.
pub const CATEGORICAL: [RGBColor; 10] = [
    RGBColor(0x33, 0x22, 0x88), // indigo
    RGBColor(0x88, 0xCC, 0xEE), // cyan
    RGBColor(0x11, 0x77, 0x33), // green
    RGBColor(0xCC, 0x66, 0x77), // rose
    RGBColor(0x88, 0x22, 0x55), // wine
    RGBColor(0xDD, 0xCC, 0x77), // sand
    RGBColor(0x44, 0xAA, 0x99), // teal
    RGBColor(0x99, 0x99, 0x33), // olive
    RGBColor(0xAA, 0x44, 0x99), // purple
    RGBColor(0x77, 0x77, 0x77), // grey
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_centre() {
        assert_eq!(ColorMap::Viridis.at(0.0), RGBColor(68, 1, 84));
        assert_eq!(ColorMap::Viridis.at(1.0), RGBColor(253, 231, 37));
        assert_eq!(ColorMap::Diverging.at(0.5), RGBColor(247, 247, 247));
        assert_eq!(
            ColorMap::for_range(-1.0, 3.0),
            (ColorMap::Diverging, -3.0, 3.0)
        );
    }
}
