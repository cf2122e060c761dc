//! Human text of the `list` outcomes (being moved here from commands/).
