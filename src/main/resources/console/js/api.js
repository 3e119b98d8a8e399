// The JSON API as the console uses it: the key and the chosen town live in sessionStorage (gone with the tab,
// never in a URL), every call sends them as headers, and an error body becomes one ApiError with its message.

const KEY_ITEM = 'townhall.key';
const TOWN_ITEM = 'townhall.town';

export const session = {
  get key() {
    return sessionStorage.getItem(KEY_ITEM);
  },
  get town() {
    return sessionStorage.getItem(TOWN_ITEM);
  },
  logIn(key) {
    sessionStorage.setItem(KEY_ITEM, key);
    sessionStorage.removeItem(TOWN_ITEM);
  },
  /** Another of the user's towns (null: the key's own town). */
  chooseTown(slug) {
    if (slug) {
      sessionStorage.setItem(TOWN_ITEM, slug);
    } else {
      sessionStorage.removeItem(TOWN_ITEM);
    }
  },
  logOut() {
    sessionStorage.removeItem(KEY_ITEM);
    sessionStorage.removeItem(TOWN_ITEM);
  },
};

/** An answer other than 2xx, carrying the API's error code, message and the field at fault. */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field ?? null;
  }
}

/**
 * GETs {@code path} (e.g. '/api/v1/me') with {@code params} as the query (null and '' left out) and returns the
 * parsed JSON body. Throws ApiError for an error answer and when the server cannot be reached.
 */
export async function get(path, params = {}) {
  const { response, body } = await request(path, params);
  if (!response.ok) {
    const error = body && body.error ? body.error : {};
    throw new ApiError(response.status, error.code ?? `http_${response.status}`,
      error.message ?? `${response.status} ${response.statusText}`.trim(), error.field);
  }
  return body;
}

/**
 * GETs a status document that answers JSON whatever its HTTP status (/health says 503 with a body that tells why):
 * returns that body. Throws ApiError only when there is no JSON answer.
 */
export async function probe(path) {
  const { response, body } = await request(path, {});
  if (body === null) {
    throw new ApiError(response.status, `http_${response.status}`, `${path} answered ${response.status} without JSON`);
  }
  return body;
}

async function request(path, params) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') {
      url.searchParams.set(name, String(value));
    }
  }
  const headers = { Accept: 'application/json' };
  if (session.key) {
    headers.Authorization = `Bearer ${session.key}`;
  }
  if (session.town) {
    headers['TownHall-Town'] = session.town;
  }
  let response;
  try {
    response = await fetch(url, { headers, cache: 'no-store' });
  } catch (unreachable) {
    throw new ApiError(0, 'unreachable', 'The TownHall server cannot be reached. Is it running?');
  }
  return { response, body: await readJson(response) };
}

async function readJson(response) {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) {
    return null;
  }
  try {
    return await response.json();
  } catch (malformed) {
    return null;
  }
}

/** The items of a list answer ({"items": [...], "next_cursor": ...}). */
export function items(list) {
  return Array.isArray(list?.items) ? list.items : [];
}
