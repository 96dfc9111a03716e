//! Fuzz target `advisor_query`: the rule is `certwise::fuzzing::advisor_query`'s.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| certwise::fuzzing::advisor_query::check(data));
