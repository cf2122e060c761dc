//! Human text of the `install` outcomes (being moved here from commands/).
