//! Human text of the `resume` outcomes (being moved here from commands/).
