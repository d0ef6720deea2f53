// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { SubscriptionTier } from "./SubscriptionTier";
export type Usage = { monthly_used: number; monthly_limit: number; monthly_remaining: number; was_billable: boolean; subscription_tier: SubscriptionTier };
