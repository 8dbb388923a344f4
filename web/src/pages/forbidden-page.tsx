import { Link } from '../components/link.js';

/** Shown for a page the signed-in user's role does not allow (the API would refuse it too). */
export function ForbiddenPage() {
  return (
    <div class="page" data-page="forbidden">
      <h1>Not allowed</h1>
      <p>
        Your role does not give access to this page. <Link href="/">Go to the overview</Link>.
      </p>
    </div>
  );
}
