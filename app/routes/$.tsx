import { NotFound } from '~/root'

/** Every address no other route claims answers 404 with a helpful page. */
export async function loader() {
  throw new Response('Not found', { status: 404 })
}

export default function CatchAll() {
  return <NotFound />
}
