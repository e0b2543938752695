## Mentoring groups and circles (issue 15).
age-group-nursery = Nursery
age-group-junior = Junior group
age-group-middle = Middle group
age-group-senior = Senior group
age-group-preparatory = Preparatory group
group-status-active = running
group-status-completed = completed
group-status-terminated = ended early
group-line = “{ $title }” — { $about }; mentor: { $mentor }; seats taken: { $taken } of { $size }
groups-mine = Your groups
groups-open = Open to join
groups-suggested = Groups you can form from requests
groups-suggested-none = No similar requests (at least two on one topic) right now.
groups-in-scope = Groups of your organizations
groups-none = No groups yet. A mentor can open a call for a group, a curator can form one from similar requests. Circles by children's age group: /circles
groups-topic-group = section { $code } of the deficit catalogue
group-btn-open = Open the group
group-btn-join = ✅ Join
group-btn-join-named = ✅ Join: { $title }
group-btn-new-call = ➕ Open a call for a group
group-btn-new-circle = ➕ Start a circle
group-btn-form = Form a group: { $topic } ({ $n })
group-btn-meeting = 📅 Set a group meeting
group-btn-open-joining = Open joining
group-btn-close-joining = Close joining
group-btn-end = End the group
group-btn-leave = Leave the group
group-card-mentor = Mentor: { $name }
group-card-comentor = co-mentor: { $name }
group-card-topic = Topic
group-card-seats = Seats taken: { $taken } of { $size }{ $recruiting ->
    [yes] , open to join
   *[no] {""}
}
group-card-members = Participants
group-card-meetings = Meetings held: { $held }
group-consent-btn = Confirm consent
group-consent-agree = { $gender ->
    [male] ✅ I agree
   *[female] ✅ I agree
}
group-consent-text =
    <b>Consent to take part in a mentoring group</b>

    I, { $name }, { $gender ->
        [male] agree
       *[female] agree
    } { $role ->
        [mentor] to lead the mentoring group “{ $title }” at { $organization }.
       *[mentee] to take part in the mentoring group “{ $title }” at { $organization }; the mentor is { $mentor }.
    }
    Form of mentoring: group, long-term.
    { $role ->
        [mentor] Mentor's duties: draw up the group's program and run it, hold meetings and mark who attended, help the participants with their professional difficulties, answer the curator's surveys.
       *[mentee] Participant's duties: come to the group's meetings or say in advance when you cannot, do the agreed tasks, take the self-assessment and surveys.
    }
    You can give up your seat at any time with “Leave the group”.
group-consent-question-curator = { $name } would like to ask about the group “{ $title }” before joining. Contact: { $contact }
group-join-not_allowed = This group is open only to teachers of its organization (or its network).
group-join-state = Joining this group is closed.
group-join-full = No seats left in this group.
group-join-already = You are already in this group.
group-join-mentor_full = The mentor has no free places left, so you cannot join right now.
group-join-invalid = Could not join. Please try again.
group-joined = You are in the group “{ $title }”. The mentor will set meetings; invitations will come here.
group-joined-mentor = { $name } joins the group “{ $title }”. Seats taken: { $taken } of { $size }.
group-formed-mentee = Curator { $curator } has put your request into the mentoring group “{ $title }” ({ $n } participants). The group's mentor is { $mentor }. Please confirm your consent to take part.
group-formed-mentor = Curator { $curator } has formed a mentoring group “{ $title }” for you: { $names } ({ $n } participants). Please confirm your consent to lead it.
group-comentor-added = You are a co-mentor of the group “{ $title }” (mentor { $mentor }).
group-left = You have left the group. Thank you for taking part!
group-left-mentor = { $name } leaves the group “{ $title }”. A seat is free.
group-leave-confirm = Leave the group “{ $title }”? Your seat will be freed.
group-leave-yes = Yes, leave
group-end-confirm = End the group “{ $title }”? The participants' seats will be freed and future meetings cancelled.
group-end-completed = End: the work is done
group-end-early = End early
group-ended = The mentoring group “{ $title }” (mentor { $mentor }) has ended. Thank you for your work!
group-ended-early = The mentoring group “{ $title }” (mentor { $mentor }) has ended early.
group-ended-curator = The group “{ $title }” (mentor { $mentor }) has ended: { $n } participants, { $meetings } meetings held.
group-ended-done = The group “{ $title }” has ended.
group-stale = The group has changed: please refresh the list (/groups).
group-joining-opened = Joining is open.
group-joining-closed = Joining is closed.
group-suggestion-gone = These requests are no longer waiting: please refresh the list (/groups).
group-form-pick-requests = Requests on “{ $topic }”. Tick who joins the group ({ $min } to { $max }):
group-form-pick-mentor = Who will lead the group? Shown are mentors with at least { $n } free places.
group-form-mentor-option = { $name } — { $free } of { $capacity } free
group-form-no-mentors = No approved mentor has { $n } free places. Make the group smaller or raise a mentor's capacity (/mentors).
group-form-invalid = Could not form the group: the requests must be of one organization, from different teachers, 2 to 8 of them.
group-form-state = Some requests are no longer waiting for a mentor, so the group was not formed. Please refresh the list (/groups).
group-form-full = No free seats in the group.
group-form-mentor_full = The mentor does not have enough free places for every participant.
group-form-already = This group is already formed.
group-formed = The group is formed ({ $n } participants). The mentor and the participants got invitations and a request to confirm consent.
group-ask-title = What is the group called? For example: “Digital tools for young teachers”.
group-ask-title-default = The group's name (or “Skip” to name it after the topic “{ $topic }”):
group-title-error = Please use 3 to 200 characters.
group-ask-topic = The group's topic:
group-topic-none = No catalogue topic
group-ask-size = How many participants? ({ $min } to { $max })
group-ask-age-group = Is this a circle for a children's age group? Pick the age group or “No”.
group-age-none = No
group-call-publish = { $gender ->
    [male] ✅ I agree, open the call
   *[female] ✅ I agree, open the call
}
group-call-aborted = All right, no call opened.
group-call-failed = Could not open the call: check the details and try again (/groups).
group-call-not-approved = Only a mentor approved by a curator can open a call.
group-call-published =
    📣 Call for the mentoring group “{ $title }”
    Topic: { $about }. Seats: { $size }. Mentor: { $mentor }.

    Forward this message to colleagues, or wait: teachers of your organization see the group in /groups and /circles.
group-meeting-ask-time = When does the group “{ $title }” meet? Write the date and time ({ $zone }), e.g. 24.11 15:30 or tomorrow 15:30.
group-minutes = { $n } min
group-meeting-empty = The group has no participants yet.
group-meeting-done = The meeting is set for { $when }. The participants of “{ $title }” got an invitation and a calendar file; after the meeting mark who came.
group-meeting-set =
    📅 Meeting of the group “{ $title }”: { $when }
    Topic: { $topic }. Place: { $place }. Host: { $host }.
circles-title = Circles by children's age group
circles-none = No circles yet. A mentor can start one: /groups → “Open a call”.
circles-all = All
circles-open = Open: { $title }
dg-groups = Mentoring groups: { $active } ({ $circles } of them circles), { $participants } participants; group meetings held { $held }, attended { $present } of { $expected }
xl-formed-group = group
xl-col-group = Group
doc-fig-groups = Mentoring groups (participants)
doc-order-groups = Also assign the mentoring groups for the same period (group form of mentoring) listed below:
doc-col-group = Group
doc-col-participants = Participants (consent date)
cmd-groups = Mentoring groups
cmd-circles = Circles by children's age group
menu-groups = 👥 Groups
menu-circles = 🧸 Circles
ind-group_attendance = Attendance at mentoring groups’ meetings
group-form-pick-comentor = Add a co-mentor? They lead the group together with the mentor ({ $name }) and hold no places of their own capacity.
group-form-no-comentor = No co-mentor
