## Grammatical gender in the profile (read from the patronymic, correctable in /profile).
profile-label-gender = Обращение
profile-ask-gender = Как к вам обращаться в сообщениях бота?
profile-gender-female = в женском роде («вы подтвердили, согласна»)
profile-gender-male = в мужском роде («вы подтвердили, согласен»)
profile-gender-detected = { $gender } — определено по отчеству
