//! Fuzz target `team_csv`: the rule is `certwise::fuzzing::team_csv`'s.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| certwise::fuzzing::team_csv::check(data));
