// Build of the console app (console/, assets served at /console/).
import { appConfig } from '../vite.shared.js'

export default appConfig('console')
