// Build of the consumer app (consumer/, assets served at /consumer/).
import { appConfig } from '../vite.shared.js'

export default appConfig('consumer')
