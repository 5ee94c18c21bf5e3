/**
 * The token scopes each kind of request needs: the registry checks `pull` for GET and
 * HEAD, `pull` and `push` for POST, PUT and PATCH, `delete` for DELETE.
 */
export const scopes = {
  pull: (repository: string) => [`repository:${repository}:pull`],
  push: (repository: string) => [`repository:${repository}:pull,push`],
  delete: (repository: string) => [`repository:${repository}:delete`],
  /** A cross-repository mount reads the blob from `from` as it writes to `repository`. */
  mount: (repository: string, from: string) => [`repository:${repository}:pull,push`, `repository:${from}:pull`],
};
