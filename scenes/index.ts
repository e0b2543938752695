import { Composer } from "grammy";
import type { ConversationBuilder } from "@grammyjs/conversations";
import type { BotContext, SceneContext } from "../src/bot/context.ts";
import { dialogsMiddleware } from "../src/bot/scenes.ts";
import { LANGUAGE_SCENE, languageScene } from "./language.ts";
import { ONBOARDING_SCENE, onboardingScene } from "./onboarding.ts";
import { PROFILE_SCENE, profileScene } from "./profile.ts";
import { INVITE_SCENE, inviteScene } from "./invite.ts";
import { REQUEST_SCENE, requestScene } from "./request.ts";
import { MENTOR_PROFILE_SCENE, mentorProfileScene } from "./mentor-profile.ts";
import { MENTOR_REGISTRY_SCENE, mentorRegistryScene } from "./mentor-registry.ts";
import {
  ASSIGN_OVERRIDE_SCENE,
  OFFER_ANSWER_SCENE,
  OFFER_DECLINE_SCENE,
  OFFER_QUESTION_SCENE,
  assignOverrideScene,
  offerAnswerScene,
  offerDeclineScene,
  offerQuestionScene,
} from "./offer-dialogs.ts";
import { SESSION_SCENE, sessionScene } from "./session.ts";
import { MEETING_LOG_SCENE, meetingLogScene } from "./meeting-log.ts";
import { GROUP_SERIES_SCENE, GROUP_SERIES_SCENES } from "./group-series.ts";
import { GROUP_SCENES } from "./groups.ts";
import { TRAINING_SCENE, trainingScene } from "./training.ts";
import { SURVEY_SCENE, surveyScene } from "./survey.ts";
import { QUICK_QUESTION_SCENE, questionTextScene as quickQuestionScene } from "./question.ts";
import { MENTOR_APPLICATION_SCENE, mentorApplicationScene } from "./mentor-application.ts";
import { QUESTION_TEXT_SCENE, questionTextScene } from "./question-text.ts";
import { CAMPAIGN_SCENE, campaignScene } from "./campaign.ts";
import { WORK_START_SCENE, workStartScene } from "./work-start.ts";
import { PROGRAM_SCENE, PROGRAM_TEXT_SCENE, SELF_ASSESSMENT_END_SCENE, programScene, programTextScene, selfAssessmentEndScene } from "./program.ts";

/** Every dialog of the bot, by id. A new dialog is one file here and one line in this list. */
export const SCENES: Array<[id: string, builder: ConversationBuilder<BotContext, SceneContext>]> = [
  [LANGUAGE_SCENE, languageScene],
  [ONBOARDING_SCENE, onboardingScene],
  [PROFILE_SCENE, profileScene],
  [INVITE_SCENE, inviteScene],
  [REQUEST_SCENE, requestScene],
  [MENTOR_PROFILE_SCENE, mentorProfileScene],
  [MENTOR_REGISTRY_SCENE, mentorRegistryScene],
  [OFFER_DECLINE_SCENE, offerDeclineScene],
  [OFFER_QUESTION_SCENE, offerQuestionScene],
  [OFFER_ANSWER_SCENE, offerAnswerScene],
  [ASSIGN_OVERRIDE_SCENE, assignOverrideScene],
  [SESSION_SCENE, sessionScene],
  [MEETING_LOG_SCENE, meetingLogScene],
  [SURVEY_SCENE, surveyScene],
  [QUICK_QUESTION_SCENE, quickQuestionScene],
  [MENTOR_APPLICATION_SCENE, mentorApplicationScene],
  [PROGRAM_SCENE, programScene],
  [PROGRAM_TEXT_SCENE, programTextScene],
  [SELF_ASSESSMENT_END_SCENE, selfAssessmentEndScene],
  ...GROUP_SERIES_SCENES,
  ...GROUP_SCENES,
  [TRAINING_SCENE, trainingScene],
  [QUESTION_TEXT_SCENE, questionTextScene],
  [CAMPAIGN_SCENE, campaignScene],
  [WORK_START_SCENE, workStartScene],
];

/** Every dialog of the bot, as one middleware (`dialogsMiddleware`). */
export function scenesComposer(): Composer<BotContext> {
  return new Composer<BotContext>(dialogsMiddleware<BotContext, SceneContext>(SCENES));
}

export {
  LANGUAGE_SCENE,
  ONBOARDING_SCENE,
  PROFILE_SCENE,
  INVITE_SCENE,
  REQUEST_SCENE,
  MENTOR_PROFILE_SCENE,
  MENTOR_REGISTRY_SCENE,
  OFFER_DECLINE_SCENE,
  OFFER_QUESTION_SCENE,
  OFFER_ANSWER_SCENE,
  ASSIGN_OVERRIDE_SCENE,
  SESSION_SCENE,
  MEETING_LOG_SCENE,
  GROUP_SERIES_SCENE,
  SURVEY_SCENE,
  QUICK_QUESTION_SCENE,
  MENTOR_APPLICATION_SCENE,
  PROGRAM_SCENE,
  PROGRAM_TEXT_SCENE,
  SELF_ASSESSMENT_END_SCENE,
  QUESTION_TEXT_SCENE,
  CAMPAIGN_SCENE,
  WORK_START_SCENE,
};
