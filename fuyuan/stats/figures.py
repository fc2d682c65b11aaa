"""All figures of SPEC §4/§9 are computed here and nowhere else."""
