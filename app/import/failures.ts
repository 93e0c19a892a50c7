// The reasons a dry run or an import stops that come from the file itself (import.file.*); any
// other reason is the database's or the server's (import.failure.*). Shared by the job and the page.
import { readRefusals } from './limits.ts'

export const fileFailures = readRefusals
