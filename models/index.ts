// Importing this module registers every model with mongoose.
export { User, ROLES, POSITIONS, QUALIFICATION_CATEGORIES, EDUCATION_PROFILES } from "./user.ts";
export type { UserDocument, UserRecord, Role, Position } from "./user.ts";
export { Organization, type OrganizationRecord } from "./organization.ts";
export { Network, type NetworkRecord } from "./network.ts";
export { Consent, CONSENT_TYPES, type ConsentType } from "./consent.ts";
export { Invite } from "./invite.ts";
export { JoinRequest } from "./join-request.ts";
export { Erasure } from "./erasure.ts";
export { DeficitTopic, type DeficitTopicRecord } from "./deficit-topic.ts";
export { ConversationState } from "./conversation-state.ts";
export { ProcessedUpdate, pruneProcessedUpdates } from "./processed-update.ts";
export { MentorProfile, MENTORING_FORMS, MEETING_MODES, mentorProfileChanges, type MentorProfileRecord, type MeetingMode } from "./mentor-profile.ts";
export { MentorshipRequest, REQUEST_KINDS, REQUEST_STATUSES, DAY_PARTS, type MentorshipRequestRecord, type RequestStatus } from "./mentorship-request.ts";
export { Offer } from "./offer.ts";
export { Pair, type PairRecord } from "./pair.ts";
export { Job, JobClaim, JOB_STATUSES, FINISHED_JOB_STATUSES, purgeFinishedJobs, type JobStatus, type JobRecord } from "./job.ts";
export { Meeting, MEETING_STATUSES, type MeetingRecord, type MeetingStatus } from "./meeting.ts";
export { MeetingSeries, type MeetingSeriesRecord } from "./meeting-series.ts";
