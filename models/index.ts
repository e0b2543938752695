// Importing this module registers every model with mongoose.
export { User, type UserDocument, type UserRecord } from "./user.ts";
export { ConversationState } from "./conversation-state.ts";
export { ProcessedUpdate, pruneProcessedUpdates } from "./processed-update.ts";
