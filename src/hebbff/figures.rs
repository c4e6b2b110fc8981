//! The study's figures as SVG (for the README and papers): curves over
//! epochs with ± sd bands (paper Figs. 2–3, 5B) and the two correlation views
//! of the Simpson's paradox (Fig. 4A vs 4C).

use super::study::{Band, StudySummary};
use crate::error::{Error, Result};
use crate::plot::{colormap::CATEGORICAL, lines, to_svg, Series};

fn find<'a>(v: &'a [(String, Band)], key: &str) -> Result<&'a Band> {
    v.iter()
        .find(|(k, _)| k == key)
        .map(|(_, b)| b)
        .ok_or_else(|| Error::Format(format!("the study summary has no `{key}` curve")))
}

fn series(name: &str, b: &Band, color: usize, band: bool) -> Series {
    Series {
        name: name.into(),
        xs: b.x.clone(),
        ys: b.mean.clone(),
        color: CATEGORICAL[color % 10],
        band: band.then(|| b.sd.clone()),
        points: false,
    }
}

/// Accuracy, Q, #communities and flexibility over epochs, mean ± sd (2 × 2 grid).
///
/// # Errors
/// A curve missing from the summary; drawing failures.
pub fn curves_svg(s: &StudySummary) -> Result<String> {
    let panels = [
        ("accuracy", "held-out accuracy"),
        ("q", "multilayer modularity Q"),
        ("n_communities", "#communities"),
        ("flexibility", "system flexibility"),
    ];
    let bands = panels
        .iter()
        .map(|(k, _)| find(&s.curves, k))
        .collect::<Result<Vec<_>>>()?;
    to_svg(960, 640, |root| {
        let areas = root.split_evenly((2, 2));
        for (k, (area, (_, label))) in areas.iter().zip(&panels).enumerate() {
            let title = format!("{label} (mean ± sd, {} instances)", s.instances);
            lines(
                area,
                &title,
                "epoch",
                label,
                &[series(label, bands[k], k, true)],
            )?;
        }
        Ok(())
    })
}

/// Correlation with accuracy within instances (epoch windows, mean ± sd) and
/// across instances (each epoch), for Q and #communities.
///
/// # Errors
/// As [`curves_svg`].
pub fn paradox_svg(s: &StudySummary) -> Result<String> {
    to_svg(960, 360, |root| {
        let areas = root.split_evenly((1, 2));
        for (area, (key, label)) in areas
            .iter()
            .zip([("q", "Q"), ("n_communities", "#communities")])
        {
            let within = find(&s.within_instance_correlation, key)?;
            let across = find(&s.across_instance_correlation, key)?;
            lines(
                area,
                &format!("r({label}, accuracy)"),
                "epoch (window start for 'within')",
                "Pearson r",
                &[
                    series("within instances (epoch windows)", within, 0, true),
                    series("across instances (each epoch)", across, 1, false),
                ],
            )?;
        }
        Ok(())
    })
}
