import type { ComponentChildren, JSX } from 'preact';
import { useServices } from '../hooks/app-services.js';

/** Props of {@link Link}: an anchor's attributes with a required same-origin `href`. */
export type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'> & { href: string; children?: ComponentChildren };

/**
 * An `<a>` that navigates client-side on a plain left click (modifier clicks and middle clicks
 * keep their browser meaning: new tab, new window). It stays a real link for keyboard users,
 * screen readers and "copy link".
 */
export function Link({ href, children, ...rest }: LinkProps) {
  const { location } = useServices();
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    location.navigate(href);
  };
  return (
    <a {...rest} href={href} onClick={onClick}>
      {children}
    </a>
  );
}
