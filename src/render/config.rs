//! Human text of the `config` outcomes (being moved here from commands/).
