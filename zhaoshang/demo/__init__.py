"""The Jiaxing 2019–2020 demo data set: synthetic, seeded, and faithful to the commissioning report."""
