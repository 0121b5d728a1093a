// Generated from openapi.json by web/scripts/generate-api.mjs — do not edit.

export interface paths {
  '/api/v1/access-reviews': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Access-review campaigns, newest first */
    get: {
      parameters: {
        query?: {
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                closedAt: string | null;
                counts: {
                  certified: number;
                  escalated: number;
                  revoked: number;
                  total: number;
                  undecided: number;
                };
                createdAt: string;
                createdBy: string | null;
                dueAt: string;
                escalateAt: string;
                id: string;
                lastReminderAt: string | null;
                name: string;
                overdue: boolean;
                reviewerId: string | null;
                state: 'open' | 'closed';
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Start a campaign: snapshot every user (roles, teams, effective permissions, last activity) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description Days until the review is due (default 14) */
            dueInDays?: number;
            /** @description Days after which undecided items escalate (default 7) */
            escalateAfterDays?: number;
            name?: string;
            /** Format: uuid */
            reviewerId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              closedAt: string | null;
              counts: {
                certified: number;
                escalated: number;
                revoked: number;
                total: number;
                undecided: number;
              };
              createdAt: string;
              createdBy: string | null;
              dueAt: string;
              escalateAt: string;
              evidence: {
                counts: {
                  certified: number;
                  escalated: number;
                  revoked: number;
                  total: number;
                  undecided: number;
                };
                format: string;
                items: {
                  comment: string | null;
                  decidedAt: string | null;
                  decidedBy: string | null;
                  decision: ('certify' | 'revoke') | null;
                  email: string;
                  escalatedAt: string | null;
                  itemId: string;
                  roles: string[];
                  snapshotSha256: string;
                  userId: string;
                }[];
                review: {
                  closedAt: string;
                  closedBy: string;
                  createdAt: string;
                  createdBy: string | null;
                  dueAt: string;
                  escalateAt: string;
                  forced: boolean;
                  forceReason: string | null;
                  id: string;
                  name: string;
                  reviewerId: string | null;
                };
                snapshotSha256: string;
              } | null;
              evidenceSha256: string | null;
              id: string;
              items: {
                comment: string | null;
                createdAt: string;
                decidedAt: string | null;
                decidedBy: string | null;
                decision: ('certify' | 'revoke') | null;
                email: string;
                escalatedAt: string | null;
                id: string;
                lastActivityAt: string | null;
                lastLoginAt: string | null;
                name: string;
                permissions: {
                  capabilities: string[];
                  objects: {
                    [key: string]: {
                      ops: string[];
                      scope: string | null;
                    };
                  };
                  reveal: string[];
                };
                roles: string[];
                status: string;
                teams: {
                  id: string;
                  name: string;
                  role: string;
                }[];
                userId: string;
              }[];
              lastReminderAt: string | null;
              name: string;
              overdue: boolean;
              reviewerId: string | null;
              state: 'open' | 'closed';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/access-reviews/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A campaign with its items and, once closed, its evidence */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              closedAt: string | null;
              counts: {
                certified: number;
                escalated: number;
                revoked: number;
                total: number;
                undecided: number;
              };
              createdAt: string;
              createdBy: string | null;
              dueAt: string;
              escalateAt: string;
              evidence: {
                counts: {
                  certified: number;
                  escalated: number;
                  revoked: number;
                  total: number;
                  undecided: number;
                };
                format: string;
                items: {
                  comment: string | null;
                  decidedAt: string | null;
                  decidedBy: string | null;
                  decision: ('certify' | 'revoke') | null;
                  email: string;
                  escalatedAt: string | null;
                  itemId: string;
                  roles: string[];
                  snapshotSha256: string;
                  userId: string;
                }[];
                review: {
                  closedAt: string;
                  closedBy: string;
                  createdAt: string;
                  createdBy: string | null;
                  dueAt: string;
                  escalateAt: string;
                  forced: boolean;
                  forceReason: string | null;
                  id: string;
                  name: string;
                  reviewerId: string | null;
                };
                snapshotSha256: string;
              } | null;
              evidenceSha256: string | null;
              id: string;
              items: {
                comment: string | null;
                createdAt: string;
                decidedAt: string | null;
                decidedBy: string | null;
                decision: ('certify' | 'revoke') | null;
                email: string;
                escalatedAt: string | null;
                id: string;
                lastActivityAt: string | null;
                lastLoginAt: string | null;
                name: string;
                permissions: {
                  capabilities: string[];
                  objects: {
                    [key: string]: {
                      ops: string[];
                      scope: string | null;
                    };
                  };
                  reveal: string[];
                };
                roles: string[];
                status: string;
                teams: {
                  id: string;
                  name: string;
                  role: string;
                }[];
                userId: string;
              }[];
              lastReminderAt: string | null;
              name: string;
              overdue: boolean;
              reviewerId: string | null;
              state: 'open' | 'closed';
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/access-reviews/{id}/close': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Close a campaign and keep its evidence (refused while items are undecided, unless forced with a reason) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            force?: boolean;
            reason?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              closedAt: string | null;
              counts: {
                certified: number;
                escalated: number;
                revoked: number;
                total: number;
                undecided: number;
              };
              createdAt: string;
              createdBy: string | null;
              dueAt: string;
              escalateAt: string;
              evidence: {
                counts: {
                  certified: number;
                  escalated: number;
                  revoked: number;
                  total: number;
                  undecided: number;
                };
                format: string;
                items: {
                  comment: string | null;
                  decidedAt: string | null;
                  decidedBy: string | null;
                  decision: ('certify' | 'revoke') | null;
                  email: string;
                  escalatedAt: string | null;
                  itemId: string;
                  roles: string[];
                  snapshotSha256: string;
                  userId: string;
                }[];
                review: {
                  closedAt: string;
                  closedBy: string;
                  createdAt: string;
                  createdBy: string | null;
                  dueAt: string;
                  escalateAt: string;
                  forced: boolean;
                  forceReason: string | null;
                  id: string;
                  name: string;
                  reviewerId: string | null;
                };
                snapshotSha256: string;
              } | null;
              evidenceSha256: string | null;
              id: string;
              items: {
                comment: string | null;
                createdAt: string;
                decidedAt: string | null;
                decidedBy: string | null;
                decision: ('certify' | 'revoke') | null;
                email: string;
                escalatedAt: string | null;
                id: string;
                lastActivityAt: string | null;
                lastLoginAt: string | null;
                name: string;
                permissions: {
                  capabilities: string[];
                  objects: {
                    [key: string]: {
                      ops: string[];
                      scope: string | null;
                    };
                  };
                  reveal: string[];
                };
                roles: string[];
                status: string;
                teams: {
                  id: string;
                  name: string;
                  role: string;
                }[];
                userId: string;
              }[];
              lastReminderAt: string | null;
              name: string;
              overdue: boolean;
              reviewerId: string | null;
              state: 'open' | 'closed';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/access-reviews/{id}/items/{itemId}/decision': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Certify or revoke one user's access (revoking removes their roles and ends their sessions) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
          itemId: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            comment?: string;
            decision: 'certify' | 'revoke';
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              comment: string | null;
              createdAt: string;
              decidedAt: string | null;
              decidedBy: string | null;
              decision: ('certify' | 'revoke') | null;
              email: string;
              escalatedAt: string | null;
              id: string;
              lastActivityAt: string | null;
              lastLoginAt: string | null;
              name: string;
              permissions: {
                capabilities: string[];
                objects: {
                  [key: string]: {
                    ops: string[];
                    scope: string | null;
                  };
                };
                reveal: string[];
              };
              roles: string[];
              status: string;
              teams: {
                id: string;
                name: string;
                role: string;
              }[];
              userId: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/access-reviews/{id}/remind': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Remind the reviewers of undecided items (at most once a day) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              lastReminderAt: string | null;
              nextReminderAt: string | null;
              reminded: boolean;
              undecided: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/access-reviews/dormant': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Active accounts with no sign-in or API use within the dormancy limit (90 days) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              accounts: {
                createdAt: string;
                email: string;
                idleDays: number;
                idleSince: string;
                lastActivityAt: string | null;
                lastLoginAt: string | null;
                name: string;
                roles: string[];
                userId: string;
              }[];
              cutoff: string;
              dormantAfterDays: number;
              generatedAt: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/access-reviews/dormant/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable the dormant accounts (never the last active administrator: those are reported skipped) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              cutoff: string;
              disabled: {
                createdAt: string;
                email: string;
                idleDays: number;
                idleSince: string;
                lastActivityAt: string | null;
                lastLoginAt: string | null;
                name: string;
                roles: string[];
                userId: string;
              }[];
              dormantAfterDays: number;
              ranAt: string;
              skipped: {
                createdAt: string;
                email: string;
                idleDays: number;
                idleSince: string;
                lastActivityAt: string | null;
                lastLoginAt: string | null;
                name: string;
                reason: string;
                roles: string[];
                userId: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/activities': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List activities */
    get: {
      parameters: {
        query?: {
          createdAfter?: string;
          createdBefore?: string;
          cursor?: string;
          /** @description List the trash (soft-deleted records) instead */
          deleted?: boolean;
          dueAfter?: string;
          dueBefore?: string;
          limit?: number;
          /** @description UUID */
          ownerId?: string;
          /** @description Full-text search over non-restricted text fields */
          q?: string;
          relatedId?: string;
          relatedType?: 'companies' | 'contacts' | 'deals';
          /** @description Field key, prefix with - for descending */
          sort?: string;
          status?: 'open' | 'done';
          tag?: string;
          type?: string;
          updatedAfter?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                body?: string | null;
                completedAt?: string | null;
                createdAt: string;
                custom: {
                  [key: string]: string | number | boolean | null;
                };
                deletedAt: string | null;
                dueAt?: string | null;
                id: string;
                ownerId: string;
                related?: {
                  id: string;
                  type: string;
                }[];
                subject?: string;
                tags: string[];
                type?: string;
                updatedAt: string;
                version: number;
              }[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
    put?: never;
    /** Create a activity */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            body?: string | null;
            completedAt?: string | null;
            custom?: {
              [key: string]: string | number | boolean | null;
            };
            dueAt?: string | null;
            /**
             * Format: uuid
             * @description UUID
             */
            ownerId?: string;
            related?:
              | {
                  /**
                   * Format: uuid
                   * @description UUID
                   */
                  id: string;
                  type: 'companies' | 'contacts' | 'deals';
                }[]
              | null;
            subject: string;
            tags?: string[];
            type: 'note' | 'call' | 'meeting' | 'email' | 'task';
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              body?: string | null;
              completedAt?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              dueAt?: string | null;
              id: string;
              ownerId: string;
              related?: {
                id: string;
                type: string;
              }[];
              subject?: string;
              tags: string[];
              type?: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/activities/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a activity */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              body?: string | null;
              completedAt?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              dueAt?: string | null;
              id: string;
              ownerId: string;
              related?: {
                id: string;
                type: string;
              }[];
              subject?: string;
              tags: string[];
              type?: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Move a activity to the trash */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    /** Update a activity (If-Match or version required) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            body?: string | null;
            completedAt?: string | null;
            custom?: {
              [key: string]: string | number | boolean | null;
            };
            dueAt?: string | null;
            /**
             * Format: uuid
             * @description UUID
             */
            ownerId?: string;
            related?:
              | {
                  /**
                   * Format: uuid
                   * @description UUID
                   */
                  id: string;
                  type: 'companies' | 'contacts' | 'deals';
                }[]
              | null;
            subject?: string;
            tags?: string[];
            type?: 'note' | 'call' | 'meeting' | 'email' | 'task';
            /** @description The version you read (or send If-Match) */
            version?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              body?: string | null;
              completedAt?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              dueAt?: string | null;
              id: string;
              ownerId: string;
              related?: {
                id: string;
                type: string;
              }[];
              subject?: string;
              tags: string[];
              type?: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/activities/{id}/restore': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Restore a activity from the trash */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              body?: string | null;
              completedAt?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              dueAt?: string | null;
              id: string;
              ownerId: string;
              related?: {
                id: string;
                type: string;
              }[];
              subject?: string;
              tags: string[];
              type?: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/activities/{id}/reveal': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reveal masked fields of a activity, with a reason (audited; card data needs a recent sign-in) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            fields: string[];
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              fields: {
                [key: string]: string | number | boolean | null;
              };
              id: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/activities/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Export the activities you may list, as CSV or JSON lines (needs the export permission; audited) */
    get: {
      parameters: {
        query?: {
          createdAfter?: string;
          createdBefore?: string;
          /** @description List the trash (soft-deleted records) instead */
          deleted?: boolean;
          dueAfter?: string;
          dueBefore?: string;
          /** @description csv (spreadsheet-safe, UTF-8 with BOM) or ndjson (one JSON record per line) */
          format?: 'csv' | 'ndjson';
          /** @description UUID */
          ownerId?: string;
          /** @description Full-text search over non-restricted text fields */
          q?: string;
          relatedId?: string;
          relatedType?: 'companies' | 'contacts' | 'deals';
          /** @description Field key, prefix with - for descending */
          sort?: string;
          status?: 'open' | 'done';
          tag?: string;
          type?: string;
          updatedAfter?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The file (text/csv or application/x-ndjson) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit/checkpoints/latest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The latest signed checkpoint and the log’s verifier key */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              checkpoint: string;
              origin: string;
              rootHash: string;
              treeSize: number;
              verifierKey: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit/consistency': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** RFC 6962 consistency proof between two signed checkpoints (to the latest unless toSize is given) */
    get: {
      parameters: {
        query: {
          fromSize: number;
          toSize?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              fromCheckpoint: string;
              fromSize: number;
              proof: string[];
              toCheckpoint: string;
              toSize: number;
              verifierKey: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Search the audit log (newest first); ?targetId= answers "who accessed this record" */
    get: {
      parameters: {
        query?: {
          /** @description exact, or a prefix ending in * */
          action?: string;
          actorId?: string;
          actorType?: 'user' | 'token' | 'system' | 'anonymous';
          cursor?: string;
          /** @description inclusive, ISO 8601 */
          from?: string;
          limit?: number;
          outcome?: 'success' | 'failure';
          targetId?: string;
          targetType?: string;
          /** @description exclusive, ISO 8601 */
          to?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                action: string;
                actor: {
                  id: string | null;
                  type: 'user' | 'token' | 'system' | 'anonymous';
                };
                /** Format: date-time */
                at: string;
                /** @description Event detail; restricted/pci values are sealed under the record’s key and never shown */
                detail: {
                  [key: string]: unknown;
                };
                /** @description RFC 6962 leaf hash (hex) */
                hash: string;
                id: number;
                ip: string | null;
                outcome: 'success' | 'failure';
                /** @description Leaf hash of the previous entry (hex): the hash chain */
                prevHash: string;
                requestId: string | null;
                target: {
                  id: string;
                  type: string;
                } | null;
                userAgent: string | null;
              }[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit/events/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One audit entry */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description The entry’s sequence number */
          id: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              action: string;
              actor: {
                id: string | null;
                type: 'user' | 'token' | 'system' | 'anonymous';
              };
              /** Format: date-time */
              at: string;
              /** @description Event detail; restricted/pci values are sealed under the record’s key and never shown */
              detail: {
                [key: string]: unknown;
              };
              /** @description RFC 6962 leaf hash (hex) */
              hash: string;
              id: number;
              ip: string | null;
              outcome: 'success' | 'failure';
              /** @description Leaf hash of the previous entry (hex): the hash chain */
              prevHash: string;
              requestId: string | null;
              target: {
                id: string;
                type: string;
              } | null;
              userAgent: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit/events/{id}/proof': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** RFC 6962 inclusion proof of an entry in a signed checkpoint (latest unless treeSize is given) */
    get: {
      parameters: {
        query?: {
          treeSize?: number;
        };
        header?: never;
        path: {
          /** @description The entry’s sequence number */
          id: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description C2SP signed checkpoint note (Ed25519) */
              checkpoint: string;
              /** @description Canonical entry; the leaf is SHA-256(0x00 ‖ UTF-8 bytes) */
              entry: string;
              id: number;
              leafHash: string;
              leafIndex: number;
              proof: string[];
              rootHash: string;
              treeSize: number;
              /** @description name+keyid+base64 key (signed-note verifier key) */
              verifierKey: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit/retention': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How long entries stay online */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description Last sequence number moved to an archive segment (0: none) */
              archivedThrough: number;
              minimum: number;
              /** @description Entries are kept online this long, then archived as signed segments */
              months: number;
            };
          };
        };
      };
    };
    /** Change how long entries stay online (at least 12 months; security officer; audited) */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            months: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description Last sequence number moved to an archive segment (0: none) */
              archivedThrough: number;
              minimum: number;
              /** @description Entries are kept online this long, then archived as signed segments */
              months: number;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/invitation/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Choose your first password with an invitation link
     * @description Then sign in; you will be asked to set up two-step sign-in.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: password */
            password: string;
            /** @description The token from the emailed link */
            token: string;
          };
        };
      };
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign in with email and password
     * @description Sets the `__Host-separ_session` cookie and returns the CSRF token to send as X-CSRF-Token. When a second factor is due the answer is `{mfaRequired: true, methods}` and the session is pending until /auth/mfa/… answers it; when the account must first enrol MFA (or change an administrator-chosen password) the answer lists `setupRequired` and the session can do only that. Every failure — unknown email, wrong password, disabled or locked account — answers 401 SEPAR_ERR_INVALID_CREDENTIALS with the same body; too many attempts answer 429 with Retry-After.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description Email address */
            email: string;
            /** Format: password */
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json':
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  methods: ('totp' | 'webauthn' | 'recovery')[];
                  /** @enum {boolean} */
                  mfaRequired: true;
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  /** @description Methods the policy lets this user enrol */
                  mfaMethods: ('totp' | 'webauthn')[];
                  setupRequired: ('mfa-enrolment' | 'password-change')[];
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign out: end this session and clear the cookie */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/mfa/recovery': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Complete sign-in with a recovery code (each works once) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description One of your recovery codes, e.g. 7K3Q-M9XD-2HPT-W4RA */
            code: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json':
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  methods: ('totp' | 'webauthn' | 'recovery')[];
                  /** @enum {boolean} */
                  mfaRequired: true;
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  /** @description Methods the policy lets this user enrol */
                  mfaMethods: ('totp' | 'webauthn')[];
                  setupRequired: ('mfa-enrolment' | 'password-change')[];
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/mfa/totp': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Complete sign-in with an authenticator-app code
     * @description Each code works once. Five wrong answers end the pending session.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The 6-digit code shown by the app */
            code: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json':
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  methods: ('totp' | 'webauthn' | 'recovery')[];
                  /** @enum {boolean} */
                  mfaRequired: true;
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  /** @description Methods the policy lets this user enrol */
                  mfaMethods: ('totp' | 'webauthn')[];
                  setupRequired: ('mfa-enrolment' | 'password-change')[];
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/mfa/webauthn': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Complete sign-in with a passkey or security key assertion */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            credential: {
              authenticatorAttachment?: 'platform' | 'cross-platform';
              clientExtensionResults: {
                [key: string]: unknown;
              };
              id: string;
              rawId: string;
              response: {
                authenticatorData: string;
                clientDataJSON: string;
                signature: string;
                userHandle?: string;
              };
              /** @enum {string} */
              type: 'public-key';
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json':
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  methods: ('totp' | 'webauthn' | 'recovery')[];
                  /** @enum {boolean} */
                  mfaRequired: true;
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  /** @description Methods the policy lets this user enrol */
                  mfaMethods: ('totp' | 'webauthn')[];
                  setupRequired: ('mfa-enrolment' | 'password-change')[];
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/mfa/webauthn/options': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Challenge for completing sign-in with a passkey or security key */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Pass to navigator.credentials.get() (or startAuthentication) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              allowCredentials?: {
                id: string;
                transports?: string[];
                /** @enum {string} */
                type: 'public-key';
              }[];
              challenge: string;
              extensions?: {
                [key: string]: unknown;
              };
              hints?: string[];
              rpId?: string;
              timeout?: number;
              userVerification?: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/oidc/callback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Where the single sign-on provider returns the browser
     * @description Sets the session cookie (full, pending a local second factor, or account setup) and continues to the app, which reads GET /api/v1/auth/session to know which.
     */
    get: {
      parameters: {
        query?: {
          code?: string;
          error?: string;
          error_description?: string;
          iss?: string;
          session_state?: string;
          state?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description A page that continues to the app */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/oidc/start': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Sign in with the single sign-on provider (redirects to it) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Redirect to the identity provider */
        302: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/passkey': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sign in with a passkey (user verification required; counts as both factors) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            credential: {
              authenticatorAttachment?: 'platform' | 'cross-platform';
              clientExtensionResults: {
                [key: string]: unknown;
              };
              id: string;
              rawId: string;
              response: {
                authenticatorData: string;
                clientDataJSON: string;
                signature: string;
                userHandle?: string;
              };
              /** @enum {string} */
              type: 'public-key';
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json':
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  methods: ('totp' | 'webauthn' | 'recovery')[];
                  /** @enum {boolean} */
                  mfaRequired: true;
                }
              | {
                  /** @description Send as X-CSRF-Token on every state-changing request */
                  csrfToken: string;
                  /** @description Methods the policy lets this user enrol */
                  mfaMethods: ('totp' | 'webauthn')[];
                  setupRequired: ('mfa-enrolment' | 'password-change')[];
                  user: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    createdAt: string;
                    email: string;
                    /**
                     * Format: uuid
                     * @description A UUID (lower case)
                     */
                    id: string;
                    lastLoginAt: string | null;
                    name: string;
                    roles: string[];
                    status: 'active' | 'disabled';
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    updatedAt: string;
                    version: number;
                  };
                };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/passkey/options': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Challenge for signing in with a passkey alone */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Pass to navigator.credentials.get() (or startAuthentication) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              allowCredentials?: {
                id: string;
                transports?: string[];
                /** @enum {string} */
                type: 'public-key';
              }[];
              challenge: string;
              extensions?: {
                [key: string]: unknown;
              };
              hints?: string[];
              rpId?: string;
              timeout?: number;
              userVerification?: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/password-reset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Ask for a password reset link by email
     * @description Always answers 202 the same way, whether or not the address has an account.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description Email address */
            email: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              message: string;
              /** @enum {string} */
              status: 'accepted';
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/password-reset/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Set a new password with a reset link; every session of the account ends
     * @description Signing in afterwards still needs the second factor.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: password */
            password: string;
            /** @description The token from the emailed link */
            token: string;
          };
        };
      };
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The state of this browser session: signed in, second factor due, or account setup due */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              authenticatedAt: string;
              /** @description Send as X-CSRF-Token on every state-changing request */
              csrfToken: string;
              kind: 'full' | 'pending' | 'restricted';
              /** @description Pending: the second factors that can answer */
              methods: ('totp' | 'webauthn' | 'recovery')[];
              /** @description Methods the policy lets this user use */
              mfaMethods: ('totp' | 'webauthn')[];
              /** @description Sensitive actions are allowed without step-up */
              recentlyAuthenticated: boolean;
              /** @description Restricted: what is left to do */
              setupRequired: ('mfa-enrolment' | 'password-change')[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/step-up/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Confirm it is you with your password (only for accounts without MFA methods) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: password */
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              authenticatedAt: string;
              /** @description Send as X-CSRF-Token on every state-changing request */
              csrfToken: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/step-up/totp': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Confirm it is you with an authenticator-app code (sensitive actions need it) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The 6-digit code shown by the app */
            code: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              authenticatedAt: string;
              /** @description Send as X-CSRF-Token on every state-changing request */
              csrfToken: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/step-up/webauthn': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Confirm it is you with a passkey or security key assertion */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            credential: {
              authenticatorAttachment?: 'platform' | 'cross-platform';
              clientExtensionResults: {
                [key: string]: unknown;
              };
              id: string;
              rawId: string;
              response: {
                authenticatorData: string;
                clientDataJSON: string;
                signature: string;
                userHandle?: string;
              };
              /** @enum {string} */
              type: 'public-key';
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** Format: date-time */
              authenticatedAt: string;
              /** @description Send as X-CSRF-Token on every state-changing request */
              csrfToken: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/step-up/webauthn/options': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Challenge for confirming it is you with a passkey or security key */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Pass to navigator.credentials.get() (or startAuthentication) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              allowCredentials?: {
                id: string;
                transports?: string[];
                /** @enum {string} */
                type: 'public-key';
              }[];
              challenge: string;
              extensions?: {
                [key: string]: unknown;
              };
              hints?: string[];
              rpId?: string;
              timeout?: number;
              userVerification?: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/companies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List companies */
    get: {
      parameters: {
        query?: {
          createdAfter?: string;
          createdBefore?: string;
          cursor?: string;
          /** @description List the trash (soft-deleted records) instead */
          deleted?: boolean;
          domain?: string;
          industry?: string;
          limit?: number;
          name?: string;
          /** @description UUID */
          ownerId?: string;
          /** @description Full-text search over non-restricted text fields */
          q?: string;
          size?: string;
          /** @description Field key, prefix with - for descending */
          sort?: string;
          tag?: string;
          updatedAfter?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                address?: string | null;
                createdAt: string;
                custom: {
                  [key: string]: string | number | boolean | null;
                };
                deletedAt: string | null;
                domain?: string | null;
                iban?: string | null;
                id: string;
                industry?: string | null;
                name?: string;
                ownerId: string;
                size?: string | null;
                tags: string[];
                taxId?: string | null;
                updatedAt: string;
                version: number;
              }[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
    put?: never;
    /** Create a company */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            address?: string | null;
            custom?: {
              [key: string]: string | number | boolean | null;
            };
            domain?: string | null;
            iban?: string | null;
            industry?: string | null;
            name: string;
            /**
             * Format: uuid
             * @description UUID
             */
            ownerId?: string;
            size?: ('1-10' | '11-50' | '51-200' | '201-500' | '501-1000' | '1001-5000' | '5001+') | null;
            tags?: string[];
            taxId?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              address?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              domain?: string | null;
              iban?: string | null;
              id: string;
              industry?: string | null;
              name?: string;
              ownerId: string;
              size?: string | null;
              tags: string[];
              taxId?: string | null;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/companies/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a company */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              address?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              domain?: string | null;
              iban?: string | null;
              id: string;
              industry?: string | null;
              name?: string;
              ownerId: string;
              size?: string | null;
              tags: string[];
              taxId?: string | null;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Move a company to the trash */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    /** Update a company (If-Match or version required) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            address?: string | null;
            custom?: {
              [key: string]: string | number | boolean | null;
            };
            domain?: string | null;
            iban?: string | null;
            industry?: string | null;
            name?: string;
            /**
             * Format: uuid
             * @description UUID
             */
            ownerId?: string;
            size?: ('1-10' | '11-50' | '51-200' | '201-500' | '501-1000' | '1001-5000' | '5001+') | null;
            tags?: string[];
            taxId?: string | null;
            /** @description The version you read (or send If-Match) */
            version?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              address?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              domain?: string | null;
              iban?: string | null;
              id: string;
              industry?: string | null;
              name?: string;
              ownerId: string;
              size?: string | null;
              tags: string[];
              taxId?: string | null;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/companies/{id}/restore': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Restore a company from the trash */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              address?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              domain?: string | null;
              iban?: string | null;
              id: string;
              industry?: string | null;
              name?: string;
              ownerId: string;
              size?: string | null;
              tags: string[];
              taxId?: string | null;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/companies/{id}/reveal': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reveal masked fields of a company, with a reason (audited; card data needs a recent sign-in) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            fields: string[];
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              fields: {
                [key: string]: string | number | boolean | null;
              };
              id: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/companies/{id}/timeline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Activities of a company, newest first */
    get: {
      parameters: {
        query?: {
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                body?: string | null;
                completedAt?: string | null;
                createdAt: string;
                custom: {
                  [key: string]: string | number | boolean | null;
                };
                deletedAt: string | null;
                dueAt?: string | null;
                id: string;
                ownerId: string;
                related?: {
                  id: string;
                  type: string;
                }[];
                subject?: string;
                tags: string[];
                type?: string;
                updatedAt: string;
                version: number;
              }[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/companies/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Export the companies you may list, as CSV or JSON lines (needs the export permission; audited) */
    get: {
      parameters: {
        query?: {
          createdAfter?: string;
          createdBefore?: string;
          /** @description List the trash (soft-deleted records) instead */
          deleted?: boolean;
          domain?: string;
          /** @description csv (spreadsheet-safe, UTF-8 with BOM) or ndjson (one JSON record per line) */
          format?: 'csv' | 'ndjson';
          industry?: string;
          name?: string;
          /** @description UUID */
          ownerId?: string;
          /** @description Full-text search over non-restricted text fields */
          q?: string;
          size?: string;
          /** @description Field key, prefix with - for descending */
          sort?: string;
          tag?: string;
          updatedAfter?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The file (text/csv or application/x-ndjson) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/contacts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List contacts */
    get: {
      parameters: {
        query?: {
          /** @description UUID */
          companyId?: string;
          createdAfter?: string;
          createdBefore?: string;
          cursor?: string;
          /** @description List the trash (soft-deleted records) instead */
          deleted?: boolean;
          email?: string;
          firstName?: string;
          lastName?: string;
          limit?: number;
          nationalId?: string;
          /** @description UUID */
          ownerId?: string;
          phone?: string;
          /** @description Full-text search over non-restricted text fields */
          q?: string;
          /** @description Field key, prefix with - for descending */
          sort?: string;
          tag?: string;
          title?: string;
          updatedAfter?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                address?: string | null;
                birthDate?: string | null;
                companyId?: string | null;
                createdAt: string;
                custom: {
                  [key: string]: string | number | boolean | null;
                };
                deletedAt: string | null;
                email?: string | null;
                firstName?: string;
                id: string;
                lastName?: string;
                nationalId?: string | null;
                ownerId: string;
                paymentCard?: string | null;
                phone?: string | null;
                tags: string[];
                title?: string | null;
                updatedAt: string;
                version: number;
              }[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
    put?: never;
    /** Create a contact */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            address?: string | null;
            birthDate?: string | null;
            companyId?: string | null;
            custom?: {
              [key: string]: string | number | boolean | null;
            };
            email?: string | null;
            firstName?: string | null;
            lastName?: string | null;
            nationalId?: string | null;
            /**
             * Format: uuid
             * @description UUID
             */
            ownerId?: string;
            paymentCard?: string | null;
            phone?: string | null;
            tags?: string[];
            title?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              address?: string | null;
              birthDate?: string | null;
              companyId?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              email?: string | null;
              firstName?: string;
              id: string;
              lastName?: string;
              nationalId?: string | null;
              ownerId: string;
              paymentCard?: string | null;
              phone?: string | null;
              tags: string[];
              title?: string | null;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/contacts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a contact */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              address?: string | null;
              birthDate?: string | null;
              companyId?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              email?: string | null;
              firstName?: string;
              id: string;
              lastName?: string;
              nationalId?: string | null;
              ownerId: string;
              paymentCard?: string | null;
              phone?: string | null;
              tags: string[];
              title?: string | null;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Move a contact to the trash */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    /** Update a contact (If-Match or version required) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            address?: string | null;
            birthDate?: string | null;
            companyId?: string | null;
            custom?: {
              [key: string]: string | number | boolean | null;
            };
            email?: string | null;
            firstName?: string | null;
            lastName?: string | null;
            nationalId?: string | null;
            /**
             * Format: uuid
             * @description UUID
             */
            ownerId?: string;
            paymentCard?: string | null;
            phone?: string | null;
            tags?: string[];
            title?: string | null;
            /** @description The version you read (or send If-Match) */
            version?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              address?: string | null;
              birthDate?: string | null;
              companyId?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              email?: string | null;
              firstName?: string;
              id: string;
              lastName?: string;
              nationalId?: string | null;
              ownerId: string;
              paymentCard?: string | null;
              phone?: string | null;
              tags: string[];
              title?: string | null;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/contacts/{id}/restore': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Restore a contact from the trash */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              address?: string | null;
              birthDate?: string | null;
              companyId?: string | null;
              createdAt: string;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              email?: string | null;
              firstName?: string;
              id: string;
              lastName?: string;
              nationalId?: string | null;
              ownerId: string;
              paymentCard?: string | null;
              phone?: string | null;
              tags: string[];
              title?: string | null;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/contacts/{id}/reveal': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reveal masked fields of a contact, with a reason (audited; card data needs a recent sign-in) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            fields: string[];
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              fields: {
                [key: string]: string | number | boolean | null;
              };
              id: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/contacts/{id}/timeline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Activities of a contact, newest first */
    get: {
      parameters: {
        query?: {
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                body?: string | null;
                completedAt?: string | null;
                createdAt: string;
                custom: {
                  [key: string]: string | number | boolean | null;
                };
                deletedAt: string | null;
                dueAt?: string | null;
                id: string;
                ownerId: string;
                related?: {
                  id: string;
                  type: string;
                }[];
                subject?: string;
                tags: string[];
                type?: string;
                updatedAt: string;
                version: number;
              }[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/contacts/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Export the contacts you may list, as CSV or JSON lines (needs the export permission; audited) */
    get: {
      parameters: {
        query?: {
          /** @description UUID */
          companyId?: string;
          createdAfter?: string;
          createdBefore?: string;
          /** @description List the trash (soft-deleted records) instead */
          deleted?: boolean;
          email?: string;
          firstName?: string;
          /** @description csv (spreadsheet-safe, UTF-8 with BOM) or ndjson (one JSON record per line) */
          format?: 'csv' | 'ndjson';
          lastName?: string;
          nationalId?: string;
          /** @description UUID */
          ownerId?: string;
          phone?: string;
          /** @description Full-text search over non-restricted text fields */
          q?: string;
          /** @description Field key, prefix with - for descending */
          sort?: string;
          tag?: string;
          title?: string;
          updatedAfter?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The file (text/csv or application/x-ndjson) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/deals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List deals */
    get: {
      parameters: {
        query?: {
          /** @description UUID */
          companyId?: string;
          contactId?: string;
          createdAfter?: string;
          createdBefore?: string;
          currency?: string;
          cursor?: string;
          /** @description List the trash (soft-deleted records) instead */
          deleted?: boolean;
          limit?: number;
          /** @description UUID */
          ownerId?: string;
          /** @description UUID */
          pipelineId?: string;
          /** @description Full-text search over non-restricted text fields */
          q?: string;
          /** @description Field key, prefix with - for descending */
          sort?: string;
          /** @description UUID */
          stageId?: string;
          tag?: string;
          updatedAfter?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                amount?: number;
                closeDate?: string | null;
                companyId?: string | null;
                contactIds?: string[];
                createdAt: string;
                currency?: string | null;
                custom: {
                  [key: string]: string | number | boolean | null;
                };
                deletedAt: string | null;
                id: string;
                ownerId: string;
                pipelineId?: string;
                stageId?: string;
                tags: string[];
                title?: string;
                updatedAt: string;
                version: number;
              }[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
    put?: never;
    /** Create a deal */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            amount?: number | null;
            closeDate?: string | null;
            companyId?: string | null;
            contactIds?: string[] | null;
            /** @description ISO 4217 code */
            currency: string;
            custom?: {
              [key: string]: string | number | boolean | null;
            };
            /**
             * Format: uuid
             * @description UUID
             */
            ownerId?: string;
            pipelineId?: string | null;
            stageId?: string | null;
            tags?: string[];
            title: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              amount?: number;
              closeDate?: string | null;
              companyId?: string | null;
              contactIds?: string[];
              createdAt: string;
              currency?: string | null;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              id: string;
              ownerId: string;
              pipelineId?: string;
              stageId?: string;
              tags: string[];
              title?: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/deals/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a deal */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              amount?: number;
              closeDate?: string | null;
              companyId?: string | null;
              contactIds?: string[];
              createdAt: string;
              currency?: string | null;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              id: string;
              ownerId: string;
              pipelineId?: string;
              stageId?: string;
              tags: string[];
              title?: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Move a deal to the trash */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    /** Update a deal (If-Match or version required) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            amount?: number | null;
            closeDate?: string | null;
            companyId?: string | null;
            contactIds?: string[] | null;
            /** @description ISO 4217 code */
            currency?: string;
            custom?: {
              [key: string]: string | number | boolean | null;
            };
            /**
             * Format: uuid
             * @description UUID
             */
            ownerId?: string;
            pipelineId?: string | null;
            stageId?: string | null;
            tags?: string[];
            title?: string;
            /** @description The version you read (or send If-Match) */
            version?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              amount?: number;
              closeDate?: string | null;
              companyId?: string | null;
              contactIds?: string[];
              createdAt: string;
              currency?: string | null;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              id: string;
              ownerId: string;
              pipelineId?: string;
              stageId?: string;
              tags: string[];
              title?: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/deals/{id}/restore': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Restore a deal from the trash */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              amount?: number;
              closeDate?: string | null;
              companyId?: string | null;
              contactIds?: string[];
              createdAt: string;
              currency?: string | null;
              custom: {
                [key: string]: string | number | boolean | null;
              };
              deletedAt: string | null;
              id: string;
              ownerId: string;
              pipelineId?: string;
              stageId?: string;
              tags: string[];
              title?: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/deals/{id}/reveal': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reveal masked fields of a deal, with a reason (audited; card data needs a recent sign-in) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            fields: string[];
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              fields: {
                [key: string]: string | number | boolean | null;
              };
              id: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/deals/{id}/timeline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Activities of a deal, newest first */
    get: {
      parameters: {
        query?: {
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                body?: string | null;
                completedAt?: string | null;
                createdAt: string;
                custom: {
                  [key: string]: string | number | boolean | null;
                };
                deletedAt: string | null;
                dueAt?: string | null;
                id: string;
                ownerId: string;
                related?: {
                  id: string;
                  type: string;
                }[];
                subject?: string;
                tags: string[];
                type?: string;
                updatedAt: string;
                version: number;
              }[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/deals/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Export the deals you may list, as CSV or JSON lines (needs the export permission; audited) */
    get: {
      parameters: {
        query?: {
          /** @description UUID */
          companyId?: string;
          contactId?: string;
          createdAfter?: string;
          createdBefore?: string;
          currency?: string;
          /** @description List the trash (soft-deleted records) instead */
          deleted?: boolean;
          /** @description csv (spreadsheet-safe, UTF-8 with BOM) or ndjson (one JSON record per line) */
          format?: 'csv' | 'ndjson';
          /** @description UUID */
          ownerId?: string;
          /** @description UUID */
          pipelineId?: string;
          /** @description Full-text search over non-restricted text fields */
          q?: string;
          /** @description Field key, prefix with - for descending */
          sort?: string;
          /** @description UUID */
          stageId?: string;
          tag?: string;
          updatedAfter?: string;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description The file (text/csv or application/x-ndjson) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': string;
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/fields': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The field registry: built-in and custom fields with their classification */
    get: {
      parameters: {
        query?: {
          object?: 'companies' | 'contacts' | 'deals' | 'activities';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                builtin: boolean;
                classification: 'public' | 'internal' | 'confidential' | 'restricted' | 'pci';
                createdAt: string;
                id: string;
                key: string;
                label: string;
                mode?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                object: string;
                options: string[];
                position: number;
                queryMode?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                required: boolean;
                searchable: boolean;
                type: string;
                updatedAt: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create a custom field */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            classification: 'public' | 'internal' | 'confidential' | 'restricted' | 'pci';
            key: string;
            label: string;
            object: 'companies' | 'contacts' | 'deals' | 'activities';
            options?: string[];
            required?: boolean;
            searchable?: boolean;
            type: 'text' | 'number' | 'date' | 'boolean' | 'select' | 'email' | 'phone' | 'url';
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              builtin: boolean;
              classification: 'public' | 'internal' | 'confidential' | 'restricted' | 'pci';
              createdAt: string;
              id: string;
              key: string;
              label: string;
              mode?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
              object: string;
              options: string[];
              position: number;
              queryMode?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
              required: boolean;
              searchable: boolean;
              type: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/fields/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a field */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              builtin: boolean;
              classification: 'public' | 'internal' | 'confidential' | 'restricted' | 'pci';
              createdAt: string;
              id: string;
              key: string;
              label: string;
              mode?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
              object: string;
              options: string[];
              position: number;
              queryMode?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
              required: boolean;
              searchable: boolean;
              type: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a custom field (its values are hidden) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    /** Change a field (label, classification, searchability; options and required for custom fields) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            classification?: 'public' | 'internal' | 'confidential' | 'restricted' | 'pci';
            label?: string;
            options?: string[];
            required?: boolean;
            searchable?: boolean;
            version?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              builtin: boolean;
              classification: 'public' | 'internal' | 'confidential' | 'restricted' | 'pci';
              createdAt: string;
              id: string;
              key: string;
              label: string;
              mode?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
              object: string;
              options: string[];
              position: number;
              queryMode?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
              required: boolean;
              searchable: boolean;
              type: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/keys/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Field-encryption key status: root kind, key versions, blind-index epochs, rotation progress */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              blindHash: string;
              cipher: string;
              /** @description Subject keys still wrapped by a key-encryption key that is not active */
              deksOnOldKeks: number;
              epochs: {
                bits: number;
                epoch: number;
                indexRows: number;
                kekId: string;
                status: string;
              }[];
              keks: {
                createdAt: string;
                /** @description Subject keys wrapped by this key-encryption key */
                deks: number;
                id: string;
                status: string;
                version: number;
              }[];
              root: {
                /** @description The root key identifier (a label, not the key) */
                id: string;
                /** @description keyring (passphrase-sealed file) or pkcs11 (HSM) */
                kind: string;
              };
              rotation: {
                finishedAt: string | null;
                fromKekId: string;
                id: string;
                progress: {
                  [key: string]: {
                    done: boolean;
                    lastSeq: number;
                    rows: number;
                  };
                };
                startedAt: string;
                state: string;
                toEpoch: number;
                toKekId: string;
              } | null;
              /** @description Secrets (the audit signing key, TOTP seeds) still sealed under a key-encryption key that is not active */
              secretsOnOldKeks: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The signed-in user */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              authMethod: 'session' | 'token';
              /** @description Null when authenticated with a token */
              csrfToken: string | null;
              email: string;
              /**
               * Format: uuid
               * @description A UUID (lower case)
               */
              id: string;
              name: string;
              roles: string[];
              status: 'active' | 'disabled';
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/access': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your effective permissions for this request (roles allowed from this network, token scopes) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              capabilities: string[];
              objects: {
                [key: string]: {
                  ops: string[];
                  scope: string | null;
                };
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/mfa': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your MFA methods and policy (never a secret) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              allowedMethods: ('totp' | 'webauthn')[];
              recoveryCodes: {
                createdAt: string | null;
                remaining: number;
                total: number;
              };
              required: boolean;
              totp: {
                confirmedAt: string | null;
                enrolled: boolean;
                enrolmentPending: boolean;
              };
              webauthn: {
                backedUp: boolean;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                createdAt: string;
                deviceType: string | null;
                id: string;
                lastUsedAt: string | null;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/mfa/recovery-codes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Replace your recovery codes with ten new ones (shown once; the old ones stop working) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              recoveryCodes: string[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/mfa/totp': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start enrolling an authenticator app: a new secret, its otpauth:// URL and QR code
     * @description The secret is in this answer only; it is stored sealed and can never be read back. It becomes active when POST /me/mfa/totp/confirm receives a current code (an active secret stays in force until then).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description otpauth://totp/… for authenticator apps */
              otpauthUrl: string;
              /** @description The otpauth URL as a PNG data: URL */
              qrCode: string;
              /** @description Base32 secret (RFC 4648), shown only in this answer */
              secret: string;
            };
          };
        };
      };
    };
    /** Remove your authenticator app (not your last method while MFA is required) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/mfa/totp/confirm': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Confirm the authenticator app with a current code; first method: recovery codes, shown once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description The 6-digit code shown by the app */
            code: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              csrfToken: string;
              /** @description Ten single-use recovery codes, shown once (null when the account already has codes) */
              recoveryCodes: string[] | null;
              setupRequired: ('mfa-enrolment' | 'password-change')[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/mfa/webauthn/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove one of your passkeys or security keys */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/mfa/webauthn/register': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Finish registering a passkey or security key; first method: recovery codes, shown once */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            credential: {
              authenticatorAttachment?: 'platform' | 'cross-platform';
              clientExtensionResults: {
                [key: string]: unknown;
              };
              id: string;
              rawId: string;
              response: {
                attestationObject: string;
                authenticatorData?: string;
                clientDataJSON: string;
                publicKey?: string;
                publicKeyAlgorithm?: number;
                transports?: string[];
              };
              /** @enum {string} */
              type: 'public-key';
            };
            /** @description A label, e.g. "Laptop" */
            name?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              credential: {
                backedUp: boolean;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                createdAt: string;
                deviceType: string | null;
                id: string;
                lastUsedAt: string | null;
                name: string;
              };
              csrfToken: string;
              /** @description Ten single-use recovery codes, shown once (null when the account already has codes) */
              recoveryCodes: string[] | null;
              setupRequired: ('mfa-enrolment' | 'password-change')[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/mfa/webauthn/register/options': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Start registering a passkey or security key */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Pass to navigator.credentials.create() (or startRegistration) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              attestation?: string;
              attestationFormats?: string[];
              authenticatorSelection?: {
                authenticatorAttachment?: string;
                requireResidentKey?: boolean;
                residentKey?: string;
                userVerification?: string;
              };
              challenge: string;
              excludeCredentials?: {
                id: string;
                transports?: string[];
                /** @enum {string} */
                type: 'public-key';
              }[];
              extensions?: {
                [key: string]: unknown;
              };
              hints?: string[];
              pubKeyCredParams: {
                alg: number;
                /** @enum {string} */
                type: 'public-key';
              }[];
              rp: {
                id?: string;
                name: string;
              };
              timeout?: number;
              user: {
                displayName: string;
                id: string;
                name: string;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Change your password (needs the current one); your other sessions end
     * @description In a session that must change an administrator-chosen password first, the answer is 200 with the session’s new CSRF token and what is left to set up; otherwise 204.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: password */
            currentPassword: string;
            /** Format: password */
            newPassword: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @description Send as X-CSRF-Token on every state-changing request */
              csrfToken: string;
              setupRequired: ('mfa-enrolment' | 'password-change')[];
            };
          };
        };
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/preferences': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your UI preferences (language, saved list views) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              preferences: {
                language?: 'en' | 'fa';
                savedViews?: {
                  [key: string]: {
                    columns: string[];
                    filters: {
                      [key: string]: string;
                    };
                    name: string;
                    /** @description The search text of the view */
                    q?: string;
                    sort: string;
                  }[];
                };
              };
              /** @description Null until the first save */
              updatedAt: string | null;
            };
          };
        };
      };
    };
    /**
     * Replace your UI preferences
     * @description The whole document: `language` (en or fa) and `savedViews` per list (at most 10 lists of 25 views; each a name, columns, filters, sort and search text). Unknown fields answer 400; a body over 64 KiB answers 413.
     */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            language?: 'en' | 'fa';
            savedViews?: {
              [key: string]: {
                columns: string[];
                filters: {
                  [key: string]: string;
                };
                name: string;
                /** @description The search text of the view */
                q?: string;
                sort: string;
              }[];
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              preferences: {
                language?: 'en' | 'fa';
                savedViews?: {
                  [key: string]: {
                    columns: string[];
                    filters: {
                      [key: string]: string;
                    };
                    name: string;
                    /** @description The search text of the view */
                    q?: string;
                    sort: string;
                  }[];
                };
              };
              /** @description Null until the first save */
              updatedAt: string | null;
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your live sessions */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                authenticatedAt: string;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                createdAt: string;
                /** @description The session this request was made with */
                current: boolean;
                /** @description e.g. "Firefox 128 on Linux" */
                device: string | null;
                /** @description Public session id (16 hex digits) */
                id: string;
                ip: string | null;
                /** @description pending: a sign-in waiting for its second factor; restricted: account setup only */
                kind: 'full' | 'pending' | 'restricted';
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                lastSeenAt: string;
                userAgent: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** End all your other sessions (all=true: this one too) */
    delete: {
      parameters: {
        query?: {
          /** @description Also end the current session */
          all?: boolean;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/sessions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** End one of your sessions */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description Public session id (16 hex digits) */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Your API tokens (never the secrets) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                createdAt: string;
                expiresAt: string | null;
                /**
                 * Format: uuid
                 * @description A UUID (lower case)
                 */
                id: string;
                lastUsedAt: string | null;
                name: string;
                /** @description The first 12 characters of the token, to recognise it */
                prefix: string;
                /** @description Empty: the owner's full permissions; otherwise only what these scopes allow */
                scopes: string[];
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create an API token; the token is in this response only */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            expiresAt?: string | null;
            name: string;
            /** @description Omitted, null or empty: the owner's full permissions */
            scopes?: string[] | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /**
               * Format: date-time
               * @description ISO 8601, UTC
               */
              createdAt: string;
              expiresAt: string | null;
              /**
               * Format: uuid
               * @description A UUID (lower case)
               */
              id: string;
              lastUsedAt: string | null;
              name: string;
              prefix: string;
              /** @description Empty: the owner's full permissions; otherwise only what these scopes allow */
              scopes: string[];
              /** @description The token itself. Shown once: store it now. */
              token: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/tokens/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke one of your API tokens */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A UUID (lower case) */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/pipelines': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Pipelines with their ordered stages */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                createdAt: string;
                id: string;
                isDefault: boolean;
                name: string;
                position: number;
                stages: {
                  id: string;
                  kind: string;
                  name: string;
                  position: number;
                  probability: number;
                }[];
                updatedAt: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create a pipeline */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name: string;
            stages: {
              /** Format: uuid */
              id?: string;
              kind?: 'open' | 'won' | 'lost';
              name: string;
              probability?: number;
            }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              createdAt: string;
              id: string;
              isDefault: boolean;
              name: string;
              position: number;
              stages: {
                id: string;
                kind: string;
                name: string;
                position: number;
                probability: number;
              }[];
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/pipelines/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a pipeline */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              createdAt: string;
              id: string;
              isDefault: boolean;
              name: string;
              position: number;
              stages: {
                id: string;
                kind: string;
                name: string;
                position: number;
                probability: number;
              }[];
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete an unused, non-default pipeline */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    /** Rename a pipeline or replace its ordered stages (keep a stage by sending its id) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description UUID */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            stages?: {
              /** Format: uuid */
              id?: string;
              kind?: 'open' | 'won' | 'lost';
              name: string;
              probability?: number;
            }[];
            version?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              createdAt: string;
              id: string;
              isDefault: boolean;
              name: string;
              position: number;
              stages: {
                id: string;
                kind: string;
                name: string;
                position: number;
                probability: number;
              }[];
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/roles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The roles users can be given (administrators) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                builtin: boolean;
                description: string;
                id: string;
                name: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create a custom role (it grants nothing it does not list) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            description?: string;
            id: string;
            name: string;
            policy: {
              capabilities: (
                | 'manage-users'
                | 'manage-roles'
                | 'manage-fields'
                | 'manage-pipelines'
                | 'manage-settings'
                | 'manage-security'
                | 'manage-keys'
                | 'read-audit'
                | 'manage-audit'
                | 'manage-incidents'
                | 'review-access'
                | 'team-reports'
              )[];
              classifications: {
                '*'?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                activities?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                companies?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                contacts?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                deals?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
              };
              fields: {
                activities?: {
                  [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                companies?: {
                  [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                contacts?: {
                  [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                deals?: {
                  [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
              };
              ipAllow: string[];
              objects: {
                activities?: {
                  ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                  scope: 'own' | 'team' | 'all';
                };
                companies?: {
                  ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                  scope: 'own' | 'team' | 'all';
                };
                contacts?: {
                  ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                  scope: 'own' | 'team' | 'all';
                };
                deals?: {
                  ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                  scope: 'own' | 'team' | 'all';
                };
              };
              reveal: ('public' | 'internal' | 'confidential' | 'restricted' | 'pci')[];
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              builtin: boolean;
              createdAt: string;
              description: string;
              id: string;
              name: string;
              policy: {
                capabilities: (
                  | 'manage-users'
                  | 'manage-roles'
                  | 'manage-fields'
                  | 'manage-pipelines'
                  | 'manage-settings'
                  | 'manage-security'
                  | 'manage-keys'
                  | 'read-audit'
                  | 'manage-audit'
                  | 'manage-incidents'
                  | 'review-access'
                  | 'team-reports'
                )[];
                classifications: {
                  '*'?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  activities?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  companies?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  contacts?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  deals?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                };
                fields: {
                  activities?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  companies?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  contacts?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  deals?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                };
                ipAllow: string[];
                objects: {
                  activities?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                  companies?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                  contacts?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                  deals?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                };
                reveal: ('public' | 'internal' | 'confidential' | 'restricted' | 'pci')[];
              };
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/roles/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A role and its policy */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              builtin: boolean;
              createdAt: string;
              description: string;
              id: string;
              name: string;
              policy: {
                capabilities: (
                  | 'manage-users'
                  | 'manage-roles'
                  | 'manage-fields'
                  | 'manage-pipelines'
                  | 'manage-settings'
                  | 'manage-security'
                  | 'manage-keys'
                  | 'read-audit'
                  | 'manage-audit'
                  | 'manage-incidents'
                  | 'review-access'
                  | 'team-reports'
                )[];
                classifications: {
                  '*'?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  activities?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  companies?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  contacts?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  deals?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                };
                fields: {
                  activities?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  companies?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  contacts?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  deals?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                };
                ipAllow: string[];
                objects: {
                  activities?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                  companies?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                  contacts?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                  deals?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                };
                reveal: ('public' | 'internal' | 'confidential' | 'restricted' | 'pci')[];
              };
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete an unused custom role */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    /** Change a role (its holders get the new permissions within seconds) */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            description?: string;
            name?: string;
            policy?: {
              capabilities: (
                | 'manage-users'
                | 'manage-roles'
                | 'manage-fields'
                | 'manage-pipelines'
                | 'manage-settings'
                | 'manage-security'
                | 'manage-keys'
                | 'read-audit'
                | 'manage-audit'
                | 'manage-incidents'
                | 'review-access'
                | 'team-reports'
              )[];
              classifications: {
                '*'?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                activities?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                companies?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                contacts?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                deals?: {
                  confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
              };
              fields: {
                activities?: {
                  [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                companies?: {
                  [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                contacts?: {
                  [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
                deals?: {
                  [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                };
              };
              ipAllow: string[];
              objects: {
                activities?: {
                  ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                  scope: 'own' | 'team' | 'all';
                };
                companies?: {
                  ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                  scope: 'own' | 'team' | 'all';
                };
                contacts?: {
                  ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                  scope: 'own' | 'team' | 'all';
                };
                deals?: {
                  ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                  scope: 'own' | 'team' | 'all';
                };
              };
              reveal: ('public' | 'internal' | 'confidential' | 'restricted' | 'pci')[];
            };
            version?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              builtin: boolean;
              createdAt: string;
              description: string;
              id: string;
              name: string;
              policy: {
                capabilities: (
                  | 'manage-users'
                  | 'manage-roles'
                  | 'manage-fields'
                  | 'manage-pipelines'
                  | 'manage-settings'
                  | 'manage-security'
                  | 'manage-keys'
                  | 'read-audit'
                  | 'manage-audit'
                  | 'manage-incidents'
                  | 'review-access'
                  | 'team-reports'
                )[];
                classifications: {
                  '*'?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  activities?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  companies?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  contacts?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  deals?: {
                    confidential?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    internal?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    pci?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    public?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                    restricted?: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                };
                fields: {
                  activities?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  companies?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  contacts?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                  deals?: {
                    [key: string]: 'none' | 'masked' | 'masked-write' | 'read' | 'write';
                  };
                };
                ipAllow: string[];
                objects: {
                  activities?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                  companies?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                  contacts?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                  deals?: {
                    ops: ('read' | 'create' | 'update' | 'delete' | 'export')[];
                    scope: 'own' | 'team' | 'all';
                  };
                };
                reveal: ('public' | 'internal' | 'confidential' | 'restricted' | 'pci')[];
              };
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/teams': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Teams and their members */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                createdAt: string;
                id: string;
                members: {
                  role: 'member' | 'manager';
                  /** Format: uuid */
                  userId: string;
                }[];
                name: string;
                updatedAt: string;
                version: number;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create a team */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            members: {
              role: 'member' | 'manager';
              /** Format: uuid */
              userId: string;
            }[];
            name: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              createdAt: string;
              id: string;
              members: {
                role: 'member' | 'manager';
                /** Format: uuid */
                userId: string;
              }[];
              name: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/teams/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A team */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              createdAt: string;
              id: string;
              members: {
                role: 'member' | 'manager';
                /** Format: uuid */
                userId: string;
              }[];
              name: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete a team */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    /** Rename a team or replace its members */
    patch: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            members?: {
              role: 'member' | 'manager';
              /** Format: uuid */
              userId: string;
            }[];
            name?: string;
            version?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              createdAt: string;
              id: string;
              members: {
                role: 'member' | 'manager';
                /** Format: uuid */
                userId: string;
              }[];
              name: string;
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List users (administrators) */
    get: {
      parameters: {
        query?: {
          cursor?: string;
          limit?: number;
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                createdAt: string;
                email: string;
                /**
                 * Format: uuid
                 * @description A UUID (lower case)
                 */
                id: string;
                lastLoginAt: string | null;
                name: string;
                roles: string[];
                status: 'active' | 'disabled';
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                updatedAt: string;
                version: number;
              }[];
              /** @description Pass as `cursor` for the next page */
              nextCursor: string | null;
            };
          };
        };
      };
    };
    put?: never;
    /**
     * Create a user (administrators)
     * @description Without a password the user cannot sign in until an administrator sets one.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description Email address */
            email: string;
            name: string;
            password?: string | null;
            roles: string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /**
               * Format: date-time
               * @description ISO 8601, UTC
               */
              createdAt: string;
              email: string;
              /**
               * Format: uuid
               * @description A UUID (lower case)
               */
              id: string;
              lastLoginAt: string | null;
              name: string;
              roles: string[];
              status: 'active' | 'disabled';
              /**
               * Format: date-time
               * @description ISO 8601, UTC
               */
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One user (administrators, or yourself) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A UUID (lower case) */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /**
               * Format: date-time
               * @description ISO 8601, UTC
               */
              createdAt: string;
              email: string;
              /**
               * Format: uuid
               * @description A UUID (lower case)
               */
              id: string;
              lastLoginAt: string | null;
              name: string;
              roles: string[];
              status: 'active' | 'disabled';
              /**
               * Format: date-time
               * @description ISO 8601, UTC
               */
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Change a user's name, roles or status (administrators)
     * @description Needs If-Match: "<version>" (412 when stale) or a version field (409 when stale). Disabling a user or changing their roles ends all their sessions.
     */
    patch: {
      parameters: {
        query?: never;
        header?: {
          /** @description The version, quoted: "3" */
          'if-match'?: string;
        };
        path: {
          /** @description A UUID (lower case) */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            name?: string;
            roles?: string[];
            status?: 'active' | 'disabled';
            version?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /**
               * Format: date-time
               * @description ISO 8601, UTC
               */
              createdAt: string;
              email: string;
              /**
               * Format: uuid
               * @description A UUID (lower case)
               */
              id: string;
              lastLoginAt: string | null;
              name: string;
              roles: string[];
              status: 'active' | 'disabled';
              /**
               * Format: date-time
               * @description ISO 8601, UTC
               */
              updatedAt: string;
              version: number;
            };
          };
        };
      };
    };
    trace?: never;
  };
  '/api/v1/users/{id}/invitation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Invite a user without a password: a single-use link (24 h) to choose one */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A UUID (lower case) */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              emailed: boolean;
              /** Format: date-time */
              expiresAt: string;
              /** @description Only when mail is not configured: give it to the user yourself (it is shown once) */
              link: string | null;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/mfa': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove all of a user's MFA methods (administrators; e.g. lost device)
     * @description The user must enrol again at their next sign-in; all their sessions end.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A UUID (lower case) */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Set another user's password (administrators); all their sessions end */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A UUID (lower case) */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** Format: password */
            password: string;
          };
        };
      };
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's live sessions (administrators) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A UUID (lower case) */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                authenticatedAt: string;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                createdAt: string;
                /** @description The session this request was made with */
                current: boolean;
                /** @description e.g. "Firefox 128 on Linux" */
                device: string | null;
                /** @description Public session id (16 hex digits) */
                id: string;
                ip: string | null;
                /** @description pending: a sign-in waiting for its second factor; restricted: account setup only */
                kind: 'full' | 'pending' | 'restricted';
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                lastSeenAt: string;
                userAgent: string | null;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** End all of a user's sessions (administrators) */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description A UUID (lower case) */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description No content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
