## Network curators and reverse mentoring (issue 15).
nw-invite-role-network = Curator of the network «{ $network }»
nw-invite-created =
    The invitation is ready: network «{ $network }» (all its kindergartens), role “{ $role }”, uses: { $uses }, valid for { $days } d.
    Forward the link:
    { $link }
nw-invite-role-added = Invitation accepted: you now hold the role “{ $role }” in every kindergarten of the network «{ $network }».
nw-role-scope = network «{ $network }»
nw-onboarding-done = Done! You are registered: { $role } of the network «{ $network }» (workplace: { $organization }).
nw-scope = network { $networks } ({ $n } { $n ->
        [one] kindergarten
       *[other] kindergartens
    })
nw-drill-refused = This kindergarten is not within your scope.
nw-chart-orgs-top = Meetings per kindergarten: the { $shown } most active of { $n }
nw-doc-offer = Documents for this period, to print and sign — for the whole network or for one kindergarten (the report):
nw-export-breakdown = Per kindergarten — { $scope }; a button with a name exports that kindergarten alone:
nw-kg-line = • { $name }: mentees { $mentees }, mentors { $mentors }, active pairs { $pairs }, waiting for a mentor { $open }
nw-mentors-breakdown = <b>Mentor registry per kindergarten ({ $n })</b>; a button with a name opens that kindergarten's registry:
nw-mentors-kg-line = • { $name }: approved { $approved }, awaiting approval { $pending }, load { $active }/{ $capacity }, free places { $free }

## Reverse and mutual mentoring.
rv-request-ask = Who will help you? Young colleagues often have strengths experienced ones lack: digital tools, the ГИС «СОЛО» platform, interactive equipment. This is reverse mentoring.
rv-request-no = An experienced mentor
rv-request-yes = A young colleague (reverse mentoring)
rv-marker-reverse = ↩️ reverse mentoring
rv-marker-mutual = 🔁 mutual pair
rv-form-reverse = reverse mentoring
rv-form-mutual = mutual pair
rv-pair-reverse-mentee = ↩️ This is reverse mentoring: your colleague ({ $name }) will share her strengths, although you have more experience.
rv-pair-reverse-mentor = ↩️ This is reverse mentoring: you share what you are strong in with a more experienced colleague, { $name }.
rv-pair-mutual = 🔁 A mutual pair: you and { $name } teach each other. The two pairs are linked and shown as one mutual pair.
rv-digest-pairs = Of them reverse mentoring: { $reverse } · mutual pairs: { $mutual }
reason-reverse = reverse mentoring: { $mentor } years of experience against your { $mentee } — fresh skills
filter-form = does not offer reverse mentoring
