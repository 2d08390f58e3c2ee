package handlers

// Action ids that one feature puts on a button and another handles: the
// contract between them. Ids a feature both shows and handles stay in
// that feature.
const (
	// Consultation buttons, handled by the consultation feature; reminders
	// put them on their messages.
	ActionConsultTake    = "consult.take"
	ActionConsultAnswer  = "consult.answer"
	ActionConsultResolve = "consult.resolve"
	ActionConsultReopen  = "consult.reopen"

	// Home surface buttons about the mentor profile, shown by the
	// consultation feature's home and handled by the mentors feature.
	ActionHomeMentor = "home.mentor"
	ActionHomePause  = "home.pause"
	ActionHomeResume = "home.resume"
)

// ActionSaveKnowledge is the "save as knowledge" button on the notes of
// a resolved consultation (shown by the consultation feature; its value
// is the consultation id), handled by the knowledge feature, which opens
// a tip form prefilled from the consultation.
const ActionSaveKnowledge = "tip.save"
