import type { ReactNode } from 'react';

/** A page whose feature has not landed yet says so plainly, and what it will do. */
export function ComingSoon({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card coming-soon" aria-labelledby="coming-heading">
      <h2 id="coming-heading">{title}</h2>
      {children}
    </section>
  );
}
