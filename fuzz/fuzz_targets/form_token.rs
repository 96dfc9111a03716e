//! Fuzz target `form_token`: the rule is `certwise::fuzzing::form_token`'s.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| certwise::fuzzing::form_token::check(data));
