import { Link } from '../components/link.js';

/** Shown for client-side paths that match no registered page. */
export function NotFoundPage() {
  return (
    <div class="page">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link href="/">Go to the overview</Link>.
      </p>
    </div>
  );
}
