## Issue 11: the life of requests and pairs

flash-pair-idle-mentee = The flash session with your mentor ({ $name }) did not take place within { $days } days, so the request is closed. If you still need help, send a new request.
flash-pair-idle-mentor = The flash session with your colleague ({ $name }) did not take place within { $days } days; the request is closed. Thank you for responding!
