import { useEffect, useState } from 'react'

/**
 * False on the server and until the page's script has run, then true. A form that hides the
 * sections that do not apply must show all of them until then: without JavaScript nothing could
 * show them again (the server renders with the form's values already known).
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}
