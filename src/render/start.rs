//! Human text of the `start` outcomes (being moved here from commands/).
