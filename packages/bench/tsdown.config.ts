import { libraryConfig } from '../../tsdown.shared.ts';

// The job worker of runBenchJobs is its own entry, at the root of dist/ beside the code that
// starts it by path (dist/job-worker.js).
export default libraryConfig({ index: 'src/index.ts', 'job-worker': 'src/jobs/job-worker.ts' });
