## Grammatical gender in the profile (read from the patronymic, correctable in /profile).
profile-label-gender = Form of address
profile-ask-gender = How should the bot address you in Russian messages?
profile-gender-female = feminine
profile-gender-male = masculine
profile-gender-detected = { $gender } (read from the patronymic)
