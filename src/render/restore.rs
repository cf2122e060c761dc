//! Human text of the `restore` outcomes (being moved here from commands/).
