import { useId, useState } from 'react';
import { normaliseDomain } from '../../domain';
import { countOf, formatCount } from '../format';
import { Link } from '../router';
import { useWindow, windowRows } from '../useWindow';

interface Member {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
}

const PAGE = 100;

/** The guide's query: which users hold an email at this domain. */
export function DomainQuery() {
  const [domain, setDomain] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const inputId = useId();
  const window = useWindow({ kind: 'usersInDomain', domain, offset: 0, limit });
  const members = windowRows<Member>(window);
  // What is left of the text once it is read as a domain ("@Acme.com " is acme.com).
  const asked = normaliseDomain(domain);

  return (
    <section className="card" aria-labelledby="domain-heading">
      <h2 id="domain-heading">Query by domain</h2>
      <div className="field">
        <label htmlFor={inputId}>Email domain</label>
        <input
          id={inputId}
          type="text"
          value={domain}
          placeholder="example.com"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setDomain(e.target.value);
            setLimit(PAGE);
          }}
        />
      </div>
      {asked !== '' && window.loaded && (
        <p className="hint">
          {countOf(window.total, 'user')} in {asked}
        </p>
      )}
      <div className="side-scroll">
        <table aria-label="Users in domain" className="compact">
          <thead>
            <tr>
              <th scope="col">User ID</th>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>
                  <Link href={`/users/${encodeURIComponent(m.userId)}`}>{m.userId}</Link>
                </td>
                <td>{m.email}</td>
                <td>{m.name}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {window.total > members.length && (
        <button
          type="button"
          onClick={() => {
            setLimit((l) => l + PAGE);
          }}
        >
          Show more ({formatCount(window.total - members.length)} left)
        </button>
      )}
    </section>
  );
}
