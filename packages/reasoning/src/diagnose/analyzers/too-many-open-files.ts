import { said } from '../text.js';
import { patternCause } from './from-patterns.js';

/** EMFILE: the process hit its open-file limit (nofile ulimit), often a leak of sockets or files. */
export const tooManyOpenFiles = patternCause({
  name: 'too-many-open-files',
  cause: 'too_many_open_files',
  summary: (svc, m) => said(`${svc} ran out of file descriptors: ${m.description}`, `${svc}의 파일 디스크립터가 바닥났습니다: ${m.description}`),
  suggestions: (svc) => [
    said(`raise the nofile limit of ${svc} (ulimits: nofile:) and look for connections or files it never closes`, `${svc}의 nofile 제한(ulimits: nofile:)을 올리고 닫지 않는 연결·파일이 있는지 확인하세요`),
  ],
});
