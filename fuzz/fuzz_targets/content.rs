//! Fuzz target `content`: the rule is `certwise::fuzzing::content`'s.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| certwise::fuzzing::content::check(data));
