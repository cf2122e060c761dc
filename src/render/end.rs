//! Human text of the `end` outcomes (being moved here from commands/).
