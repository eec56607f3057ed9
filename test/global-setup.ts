// Placeholder until the local services land (replaced by lambdas/local's test harness).
export default async function setup(): Promise<void> {}
