//! Fuzz target `markdown`: the rule is `certwise::fuzzing::markdown`'s.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| certwise::fuzzing::markdown::check(data));
