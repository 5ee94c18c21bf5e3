// The implementation moved to @caas/domain, whose command handler derives event ids with it.
export { deterministicUuid } from '@caas/domain';
