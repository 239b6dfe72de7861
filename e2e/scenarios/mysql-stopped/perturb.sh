#!/bin/sh
sleep 2
docker stop -t 1 "${PROJECT}_mysql_1" >/dev/null
