//! Synthetic batches for the benches: `parks` parks × `months` months of the catalogue's flows.

use parkstat::model::{Basis, Figure};

/// Figures as the reader would produce them for a large county batch.
pub fn batch(parks: usize, months: usize) -> Vec<Figure> {
    let codes = [
        "IND_GOV",
        "IND_VA",
        "LEAD_GOV",
        "IND_REV",
        "IND_PROFIT",
        "TIT_REV",
        "TAX_PAID",
        "HT_GOV",
        "RD_EXP",
        "FAI",
        "FAI_IND",
        "FDI_ACT",
        "DOM_ACT",
        "STD_FACT_AREA",
        "ENT_ABOVE_NEW",
        "PRJ_BIG_NEW",
        "ENERGY_IND",
        "LAND_IND",
        "ENT_ABOVE",
        "WWTP",
    ];
    let mut out = Vec::with_capacity(parks * months * codes.len() * 5);
    let mut seed = 42u64;
    let mut rnd = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as f64) / (1u64 << 31) as f64
    };
    for p in 0..parks {
        let park = format!("园区{p:03}");
        for k in 0..months {
            let (year, month) = (2021 + (k / 12) as i32, (k % 12) as u32 + 1);
            for (i, code) in codes.iter().enumerate() {
                let base = 10.0 + i as f64 + p as f64 * 0.1;
                let ytd = base * month as f64 * (0.9 + 0.2 * rnd());
                let prior = ytd / (1.0 + 0.1 * rnd());
                let fig = |basis, value| Figure {
                    park: park.clone(),
                    entity: None,
                    industry: None,
                    year,
                    month,
                    indicator: Some(code.to_string()),
                    label: code.to_string(),
                    basis,
                    value,
                    unit: "亿元".into(),
                    file: format!("{park}/{year}-{month:02}.xlsx"),
                    sheet: "Sheet1".into(),
                    cell: format!("E{}", 7 + i),
                    sub_item: false,
                };
                out.push(fig(Basis::Ytd, ytd));
                out.push(fig(Basis::YtdPrior, prior));
                out.push(fig(Basis::YtdGrowth, (ytd / prior - 1.0) * 100.0));
                out.push(fig(Basis::FullYearPrior, base * 12.0));
                out.push(fig(Basis::Target, base * 13.0));
            }
        }
    }
    out
}
