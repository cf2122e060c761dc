//! Human text of the `checkpoint` outcomes (being moved here from commands/).
