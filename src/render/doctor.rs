//! Human text of the `doctor` outcomes (being moved here from commands/).
