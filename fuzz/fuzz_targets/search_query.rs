//! Fuzz target `search_query`: the rule is `certwise::fuzzing::search_query`'s.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| certwise::fuzzing::search_query::check(data));
